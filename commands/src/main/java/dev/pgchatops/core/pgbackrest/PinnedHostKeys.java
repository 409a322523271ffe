package dev.pgchatops.core.pgbackrest;

import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;

import java.io.File;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Base64;

/**
 * Strict host-key verification against one known_hosts file: a host whose key is not listed, or listed with another
 * key, is refused — never added. Remembers why it refused, so the caller can say so.
 */
final class PinnedHostKeys extends OpenSSHKnownHosts {
    private volatile String rejection;

    PinnedHostKeys(File knownHosts) throws IOException {
        super(knownHosts);
    }

    /** Why the last host key was refused, or null. */
    String rejection() {
        return rejection;
    }

    @Override
    protected boolean hostKeyUnverifiableAction(String hostname, PublicKey key) {
        rejection = "the host key of " + hostname + " (" + describe(key) + ") is not in the known_hosts file "
                + getFile() + "; the bot never accepts unknown host keys. Check the fingerprint on the server"
                + " (ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub) and add the key to that file";
        return false;
    }

    @Override
    protected boolean hostKeyChangedAction(String hostname, PublicKey key) {
        rejection = "the host key of " + hostname + " (" + describe(key) + ") does NOT match the key pinned for it in "
                + getFile() + " — the server was reinstalled or this is not the expected server. Verify the server,"
                + " then update that file";
        return false;
    }

    static String describe(PublicKey key) {
        return KeyType.fromKey(key) + " " + fingerprint(key);
    }

    /** OpenSSH's {@code SHA256:...} fingerprint. */
    static String fingerprint(PublicKey key) {
        try {
            byte[] blob = new Buffer.PlainBuffer().putPublicKey(key).getCompactData();
            byte[] d = MessageDigest.getInstance("SHA-256").digest(blob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(d);
        } catch (NoSuchAlgorithmException | RuntimeException e) {
            return "fingerprint unavailable";
        }
    }
}
