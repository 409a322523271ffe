package dev.pgchatops.bot;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** Enforces the module direction config ← commands ← adapters ← bot. */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.pgchatops");
    }

    @Test
    void configDependsOnNothingOfTheOthers() {
        noClasses().that().resideInAPackage("dev.pgchatops.config..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.pgchatops.core..", "dev.pgchatops.adapters..",
                        "dev.pgchatops.bot..")
                .check(classes);
    }

    @Test
    void coreDoesNotKnowPlatformsOrAdapters() {
        noClasses().that().resideInAPackage("dev.pgchatops.core..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.pgchatops.adapters..", "dev.pgchatops.bot..",
                        "com.slack..", "net.dv8tion..")
                .check(classes);
    }

    @Test
    void adaptersDoNotDependOnTheBotModule() {
        noClasses().that().resideInAPackage("dev.pgchatops.adapters..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.pgchatops.bot..")
                .check(classes);
    }

    @Test
    void theRulesSeeTheClasses() {
        // Guards against the rules passing vacuously because nothing was imported.
        org.assertj.core.api.Assertions.assertThat(classes.stream().map(c -> c.getPackageName()).distinct())
                .contains("dev.pgchatops.config", "dev.pgchatops.core", "dev.pgchatops.adapters.console", "dev.pgchatops.bot");
    }
}
