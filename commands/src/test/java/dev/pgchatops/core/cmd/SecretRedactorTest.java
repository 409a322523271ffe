package dev.pgchatops.core.cmd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** One configuration entry {@code key: value} in, the value shown and the count out. */
class SecretRedactorTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            # key                   | value                                                   | shown                                                        | count
            # the four examples of the review
            ssl_passphrase_command  | echo hunter2                                            | [redacted]                                                   | 1
            archive_command         | pgbackrest --repo1-s3-key-secret abc archive-push %p    | [redacted]                                                   | 1
            auth                    | Bearer hunter11                                         | Bearer [redacted]                                            | 1
            k                       | password: hunter13                                      | password: [redacted]                                         | 1
            # KEY=VALUE, KEY: VALUE, --flag=VALUE, --flag VALUE inside other strings
            primary_conninfo        | host=10.0.0.1 user=rep password=s3cr3t sslmode=require  | host=10.0.0.1 user=rep password=[redacted] sslmode=require   | 1
            note                    | token = 'a b c' x=1                                     | token = [redacted] x=1                                       | 1
            note                    | PGPASSWORD=pw1 psql -h db                               | PGPASSWORD=[redacted] psql -h db                             | 1
            note                    | run --repo1-cipher-pass=abc --stanza=demo               | run --repo1-cipher-pass=[redacted] --stanza=demo             | 1
            note                    | run --repo1-s3-key AKIA1 --api-token tok2 -p 5432       | run --repo1-s3-key [redacted] --api-token [redacted] -p 5432 | 2
            note                    | secret: "x y", user: bob                                | secret: [redacted], user: bob                                | 1
            # tokens and URL credentials
            header                  | Authorization: Basic dXNlcjpwYXNz                       | Authorization: Basic [redacted]                              | 1
            url                     | postgresql://replicator:pw77@10.0.0.1:5432/postgres     | postgresql://replicator:[redacted]@10.0.0.1:5432/postgres    | 1
            # whole values under secret keys, commands that may print secrets
            password                | hunter1                                                 | [redacted]                                                   | 1
            repo1-s3-key            | AKIA2                                                   | [redacted]                                                   | 1
            restore_command         | pgbackrest --repo1-cipher-pass=x archive-get %f %p      | [redacted]                                                   | 1
            ssl_passphrase_command  | /usr/local/bin/get-ssl-pass                             | /usr/local/bin/get-ssl-pass                                  | 0
            # left alone
            restore_command         | pgbackrest --stanza=demo archive-get %f "%p"            | pgbackrest --stanza=demo archive-get %f "%p"                 | 0
            ssl_key_file            | /etc/ssl/key.pem                                        | /etc/ssl/key.pem                                             | 0
            log_line_prefix         | '%m [%p] %q%u@%d '                                      | '%m [%p] %q%u@%d '                                           | 0
            pg_hba                  | host all all 0.0.0.0/0 md5                              | host all all 0.0.0.0/0 md5                                   | 0
            keys                    | run --key-file /etc/k at 22:00 for node1: ok            | run --key-file /etc/k at 22:00 for node1: ok                 | 0
            """)
    void redacts(String key, String value, String shown, int count) throws Exception {
        JsonNode in = JSON.createObjectNode().put(key, value);
        SecretRedactor.Result r = SecretRedactor.redact(in);
        assertThat(r.redacted().get(key).asText()).isEqualTo(shown);
        assertThat(r.count()).isEqualTo(count);
        assertThat(in.get(key).asText()).as("the input is not changed").isEqualTo(value);
    }
}
