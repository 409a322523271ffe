package dev.pgchatops.core.confirm;

/** The result of pressing Confirm or Cancel. Only {@link Granted} lets the action run. */
public sealed interface Decision {
    /** This caller won: it confirmed (or cancelled) the action and is the only one that will run it. */
    record Granted(Pending pending) implements Decision {
    }

    record Unknown(String token) implements Decision {
    }

    record Expired(Pending pending) implements Decision {
    }

    record Forbidden(Pending pending) implements Decision {
    }

    /** Somebody already confirmed or cancelled it. */
    record AlreadyDecided(Pending pending) implements Decision {
    }
}
