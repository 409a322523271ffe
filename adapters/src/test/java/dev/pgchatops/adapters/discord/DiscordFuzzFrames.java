package dev.pgchatops.adapters.discord;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pgchatops.adapters.FuzzInputs;
import dev.pgchatops.core.Command;
import dev.pgchatops.core.CommandRegistry;
import dev.pgchatops.core.parse.CommandSpec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static dev.pgchatops.adapters.discord.FakeDiscord.ALICE;
import static dev.pgchatops.adapters.discord.FakeDiscord.APP;
import static dev.pgchatops.adapters.discord.FakeDiscord.BOB;
import static dev.pgchatops.adapters.discord.FakeDiscord.CAROL;
import static dev.pgchatops.adapters.discord.FakeDiscord.CHANNEL;
import static dev.pgchatops.adapters.discord.FakeDiscord.GUILD;
import static dev.pgchatops.adapters.discord.FakeDiscord.JSON;
import static dev.pgchatops.adapters.discord.FakeDiscord.OPERATOR_ROLE;
import static dev.pgchatops.adapters.discord.FakeDiscord.PERMS;

/**
 * Generated gateway frames for {@link DiscordPayloadFuzzTest}: INTERACTION_CREATE dispatches of slash commands (the
 * registry's commands and unknown ones, options with hostile, huge, quoted or flag-like values, wrong option types,
 * missing/null values, sub-command nesting, duplicates, extra options), autocomplete interactions (focused options
 * right and wrong), button clicks (forged tokens, real tokens pressed by another user, {@code run:} lines, unknown
 * ids), structural damage (fields removed, nulled, retyped, added; other interaction and channel types; DMs;
 * versions JDA does not know), damaged JSON (truncated, bytes flipped, braces dropped), and random bytes. Deterministic
 * for a seed, except for the snowflake timestamps (JDA tells an interaction's age from its id) and the real
 * confirmation tokens handed in. Every frame keeps {@code "op":0} outside the damaged part: an op 7/9 would make JDA
 * reconnect, which is not payload parsing. Each interaction's token is unique ({@code fz<n>}), so its answers can be
 * told apart.
 */
final class DiscordFuzzFrames {
    /** A frame; {@code kind} says what was generated (for the statistics). */
    record Frame(byte[] bytes, String kind) {
        String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** A confirmation prompt alice opened: its token and the message that shows its buttons. */
    record Prompt(String token, ObjectNode message) {
    }

    private static final String PREFIX = "{\"op\":0,\"t\":\"INTERACTION_CREATE\",\"s\":null,\"d\":";
    private static final long EPOCH = 1420070400000L;
    private static final String[] LOCALES = {"en-US", "de", "ja", "xx-XX", "", "🐘"};
    private static final String[] MEMBER_WORDS = {"node1", "node2", "node3", "all", "demo", "-node1", "--force", "node1 node2",
            "node1,node2", "  ", ""};

    private final Random r;
    private final List<CommandSpec> specs = new ArrayList<>();
    private final List<Prompt> prompts;
    private long seq;

    DiscordFuzzFrames(long seed, CommandRegistry registry, List<Prompt> prompts) {
        this.r = new Random(seed);
        for (Command c : registry.all()) specs.add(c.spec());
        this.prompts = List.copyOf(prompts);
    }

    Frame next() {
        seq++;
        int k = r.nextInt(100);
        if (k < 4) return garbage();
        if (k < 64) return refused();
        k = r.nextInt(100);
        ObjectNode d;
        String kind;
        if (k < 50) {
            d = slash();
            kind = "slash";
        } else if (k < 64) {
            d = autocomplete();
            kind = "autocomplete";
        } else if (k < 84) {
            d = button();
            kind = "button";
        } else {
            d = switch (r.nextInt(3)) {
                case 0 -> slash();
                case 1 -> autocomplete();
                default -> button();
            };
            kind = "structural";
            structural(d);
        }
        if (r.nextInt(12) == 0) {
            mutate(d, 1 + r.nextInt(3));
            kind += "+mutated";
        }
        String body = d.toString();
        if (r.nextInt(10) == 0) {
            // damaged after the id and token: a flipped digit in the id would date the interaction years back (JDA
            // then calls it expired), a flipped character in the token would break the callback's URL; Discord
            // makes both, so the damage goes everywhere else
            int keep = protectedPrefix(body);
            body = body.substring(0, keep) + FuzzInputs.damage(r, body.substring(keep));
            kind += "+damaged";
        }
        return new Frame((PREFIX + body + "}").getBytes(StandardCharsets.UTF_8), kind);
    }

    /** Where the id and token end in {@code body} (both first in every generated interaction), or 0. */
    private static int protectedPrefix(String body) {
        if (!body.startsWith("{\"id\":")) return 0;
        int t = body.indexOf("\"token\":");
        if (t < 0) return 0;
        int end = body.indexOf(',', t);
        return end < 0 ? 0 : end;
    }

    /** A valid /whoami by {@code member} whose token is {@code token} (the storm's markers and the after-check). */
    static byte[] whoami(String id, String token, ObjectNode member) {
        ObjectNode d = base(id, token, 2, member);
        d.putObject("data").put("id", "600000000000000001").put("name", "whoami").put("type", 1).putArray("options");
        return (PREFIX + d + "}").getBytes(StandardCharsets.UTF_8);
    }

    /** A modal submit (JDA delivers it, the bot ignores it): a marker that everything sent before was handled. */
    static byte[] marker(String id, String token) {
        ObjectNode d = base(id, token, 5, FakeDiscord.member(BOB, "bob"));
        d.putObject("data").put("custom_id", "fuzz-marker").putArray("components");
        return (PREFIX + d + "}").getBytes(StandardCharsets.UTF_8);
    }

    static String snowflake(long n) {
        return String.valueOf(((System.currentTimeMillis() - EPOCH) << 22) | (n & 0x3FFFFF));
    }

    // ---- interactions ------------------------------------------------------------------------------------------

    /** An INTERACTION_CREATE {@code d} in the fake's guild and channel, without {@code data}. */
    static ObjectNode base(String id, String token, int type, ObjectNode member) {
        ObjectNode d = JSON.createObjectNode().put("id", id).put("token", token).put("application_id", APP).put("type", type)
                .put("version", 1).put("channel_id", CHANNEL).put("guild_id", GUILD)
                .put("locale", "en-US").put("guild_locale", "en-US").put("context", 0).put("app_permissions", String.valueOf(PERMS));
        d.set("channel", FakeDiscord.channel());
        d.putObject("guild").put("id", GUILD).put("locale", "en-US").putArray("features");
        d.set("member", member);
        d.putObject("authorizing_integration_owners").put("0", GUILD);
        d.putArray("entitlements");
        return d;
    }

    private ObjectNode base(int type, ObjectNode member) {
        ObjectNode d = base(snowflake(seq), "fz" + seq, type, member);
        if (r.nextInt(20) == 0) d.put("locale", LOCALES[r.nextInt(LOCALES.length)]);
        return d;
    }

    private ObjectNode someMember(boolean aliceToo) {
        int w = r.nextInt(10);
        if (w < 4 && aliceToo) return FakeDiscord.member(ALICE, "alice");
        if (w < 6) return FakeDiscord.member(BOB, "bob");
        if (w < 8) return FakeDiscord.member(CAROL, "carol", OPERATOR_ROLE);
        // someone new, with a hostile name and roles the guild may not have
        String id = String.valueOf(410000000000000000L + r.nextInt(1_000_000));
        List<String> roles = new ArrayList<>();
        int n = r.nextInt(3);
        for (int i = 0; i < n; i++) roles.add(r.nextBoolean() ? OPERATOR_ROLE : String.valueOf(r.nextLong() >>> 1));
        ObjectNode m = FakeDiscord.member(id, FuzzInputs.text(r), roles.toArray(String[]::new));
        if (r.nextInt(4) == 0) m.put("nick", FuzzInputs.text(r));
        return m;
    }

    private ObjectNode slash() {
        ObjectNode d = base(2, someMember(true));
        commandData(d, false);
        return d;
    }

    private ObjectNode autocomplete() {
        ObjectNode d = base(4, someMember(true));
        commandData(d, true);
        return d;
    }

    private void commandData(ObjectNode d, boolean focus) {
        boolean known = r.nextInt(5) != 0;
        CommandSpec spec = specs.get(r.nextInt(specs.size()));
        String name = known ? spec.name() : switch (r.nextInt(4)) {
            case 0 -> spec.name().toUpperCase();
            case 1 -> spec.name() + " " + FuzzInputs.text(r);
            case 2 -> "";
            default -> FuzzInputs.text(r);
        };
        ObjectNode data = d.putObject("data").put("id", String.valueOf(600000000000000000L + r.nextInt(1000)))
                .put("name", name).put("type", r.nextInt(30) == 0 ? r.nextInt(6) : 1);
        if (r.nextInt(10) == 0) data.put("guild_id", GUILD);
        ArrayNode opts = JSON.createArrayNode();
        for (CommandSpec.Param p : spec.params()) {
            if (r.nextInt(10) < 6) opts.add(option(p));
        }
        int extra = r.nextInt(8) == 0 ? 1 + r.nextInt(r.nextInt(20) == 0 ? 300 : 3) : 0;
        for (int i = 0; i < extra; i++) {
            String n = r.nextBoolean() && !spec.params().isEmpty() ? spec.params().get(r.nextInt(spec.params().size())).name()
                    : FuzzInputs.text(r);
            opts.add(value(JSON.createObjectNode().put("name", n).put("type", 3)));
        }
        if (focus) {
            int focused = r.nextInt(12);
            if (focused < 9) {
                // the usual case: one string option (preferably a member/cluster one) is focused
                ObjectNode f = null;
                for (JsonNode o : opts) {
                    if (o.path("type").asInt() == 3 && o.path("value").isTextual() && (f == null || r.nextBoolean())) f = (ObjectNode) o;
                }
                if (f == null) {
                    f = opts.addObject().put("name", r.nextBoolean() ? "member" : r.nextBoolean() ? "cluster" : FuzzInputs.text(r))
                            .put("type", 3).put("value", typed());
                }
                f.put("focused", true);
            } else if (focused < 11 && !opts.isEmpty()) {
                ObjectNode o = (ObjectNode) opts.get(r.nextInt(opts.size()));
                if (r.nextBoolean()) o.put("focused", true);
                else o.put("focused", "yes");
            } // else: nothing focused
        } else if (r.nextInt(30) == 0 && !opts.isEmpty()) {
            ((ObjectNode) opts.get(0)).put("focused", true);
        }
        switch (r.nextInt(40)) {
            case 0 -> { // a sub-command wrapping the options
                ArrayNode sub = JSON.createArrayNode();
                sub.addObject().put("name", FuzzInputs.text(r)).put("type", 1).set("options", opts);
                opts = sub;
            }
            case 1 -> { // a sub-command group, sometimes empty
                ArrayNode group = JSON.createArrayNode();
                ArrayNode inner = group.addObject().put("name", "grp").put("type", 2).putArray("options");
                if (r.nextBoolean()) inner.addObject().put("name", "sub").put("type", 1).set("options", opts);
                opts = group;
            }
            case 2 -> opts = nested(r.nextInt(10) == 0 ? 300 : 2 + r.nextInt(60)); // deeper ones: garbage(), as text
            default -> {
            }
        }
        if (r.nextInt(40) == 0) {
            data.set("options", JSON.valueToTree(FuzzInputs.wrongValue(r)));
        } else if (r.nextInt(40) != 0) {
            data.set("options", opts);
        } // else: no options key at all
        if (r.nextInt(25) == 0) {
            ObjectNode res = data.putObject("resolved");
            res.putObject("users").set(BOB, FakeDiscord.user(BOB, "bob"));
            if (r.nextBoolean()) res.set("members", JSON.valueToTree(FuzzInputs.wrongValue(r)));
        }
    }

    private ObjectNode option(CommandSpec.Param p) {
        ObjectNode o = JSON.createObjectNode().put("name", p.name());
        int how = r.nextInt(20);
        if (how == 0) return o.put("type", 3); // no value at all
        if (how == 1) return o.put("type", 3).putNull("value");
        if (how == 2) {
            o.put("type", 5);
            o.set("value", JSON.valueToTree(FuzzInputs.wrongValue(r)));
            return o;
        }
        if (how == 3) { // another option type, with a value that fits it or not
            int[] types = {1, 2, 4, 6, 7, 8, 9, 10, 11, 99, -1};
            o.put("type", types[r.nextInt(types.length)]);
            switch (r.nextInt(4)) {
                case 0 -> o.put("value", r.nextLong());
                case 1 -> o.put("value", r.nextDouble() * 1e12);
                case 2 -> o.put("value", BOB);
                default -> o.set("value", JSON.valueToTree(FuzzInputs.wrongValue(r)));
            }
            return o;
        }
        if (p.type() == CommandSpec.ValueType.SWITCH) {
            o.put("type", 5);
            if (how < 16) o.put("value", r.nextBoolean());
            else o.put("value", r.nextBoolean() ? "true" : FuzzInputs.text(r));
            return o;
        }
        o.put("type", 3);
        if (how == 4) {
            o.set("value", JSON.valueToTree(FuzzInputs.wrongValue(r)));
            return o;
        }
        if (how == 5) return o.put("value", "y".repeat(r.nextInt(10) == 0 ? 500_000 + r.nextInt(500_000) : 6_000 + r.nextInt(4000)));
        return value(o);
    }

    private ObjectNode value(ObjectNode o) {
        return switch (r.nextInt(6)) {
            case 0 -> o.put("value", MEMBER_WORDS[r.nextInt(MEMBER_WORDS.length)]);
            case 1 -> o.put("value", r.nextBoolean() ? "full" : r.nextBoolean() ? "demo" : "2026-12-01T10:05:00Z");
            default -> o.put("value", FuzzInputs.text(r));
        };
    }

    private String typed() {
        return r.nextInt(3) == 0 ? "" : r.nextBoolean() ? MEMBER_WORDS[r.nextInt(MEMBER_WORDS.length)] : FuzzInputs.text(r);
    }

    private ArrayNode nested(int depth) {
        ArrayNode top = JSON.createArrayNode();
        ArrayNode cur = top;
        for (int i = 0; i < depth; i++) cur = cur.addObject().put("name", "n" + i).put("type", 1 + r.nextInt(2)).putArray("options");
        cur.addObject().put("name", "member").put("type", 3).put("value", "node1");
        return top;
    }

    private ObjectNode button() {
        boolean real = !prompts.isEmpty() && r.nextInt(3) == 0;
        Prompt p = prompts.isEmpty() ? null : prompts.get(r.nextInt(prompts.size()));
        String custom;
        ObjectNode member;
        if (real) {
            // a real prompt's token (or one with something glued to it), pressed by someone who did not ask
            member = someMember(false);
            custom = switch (r.nextInt(4)) {
                case 0, 1 -> "confirm:" + p.token();
                case 2 -> "cancel:" + p.token();
                default -> "confirm:" + p.token() + FuzzInputs.text(r);
            };
        } else {
            member = someMember(true);
            custom = switch (r.nextInt(9)) {
                case 0 -> "confirm:" + Long.toHexString(r.nextLong());
                case 1 -> "cancel:" + FuzzInputs.text(r);
                case 2 -> "confirm:" + FuzzInputs.text(r);
                case 3 -> "run:" + FuzzInputs.text(r);
                case 4 -> "run:" + (r.nextBoolean() ? "destroy" : r.nextBoolean() ? "cluster-list" : "failover --candidate=node2");
                case 5 -> "pgc-alias:" + r.nextInt(4);
                case 6 -> "";
                case 7 -> "x".repeat(100 + r.nextInt(2000));
                default -> FuzzInputs.text(r);
            };
            if (custom.startsWith("confirm:") && p != null && custom.equals("confirm:" + p.token())) custom += "x";
        }
        ObjectNode d = base(3, member);
        ObjectNode data = d.putObject("data").put("custom_id", custom).put("component_type", r.nextInt(12) == 0 ? new int[]{3, 4, 5, 8, 99, 0}[r.nextInt(6)] : 2);
        if (data.path("component_type").asInt() != 2 && r.nextBoolean()) data.putArray("values").add(FuzzInputs.text(r));
        ObjectNode message;
        if (p != null && r.nextBoolean()) {
            message = p.message().deepCopy();
        } else {
            message = JSON.createObjectNode().put("id", snowflake(seq + 7)).put("channel_id", CHANNEL).put("type", 0)
                    .put("content", r.nextBoolean() ? "" : FuzzInputs.text(r)).put("timestamp", "2026-12-01T00:00:00.000000+00:00")
                    .putNull("edited_timestamp").put("tts", false).put("mention_everyone", false).put("pinned", false).put("flags", 0);
            message.set("author", r.nextBoolean() ? FakeDiscord.user(APP, "pgchatops").put("bot", true) : FakeDiscord.user(BOB, "bob"));
            message.putArray("mentions");
            message.putArray("mention_roles");
            message.putArray("attachments");
            message.putArray("embeds");
            ArrayNode rows = message.putArray("components");
            ObjectNode b = rows.addObject().put("type", 1).putArray("components").addObject().put("type", 2).put("style", 1)
                    .put("label", FuzzInputs.text(r));
            b.put("custom_id", custom);
        }
        if (r.nextInt(30) == 0) message.remove(r.nextBoolean() ? "id" : "author");
        d.set("message", message);
        return d;
    }

    // ---- damage ------------------------------------------------------------------------------------------------

    /** Interaction types, channel types, versions, DMs, ids JDA cannot parse: things Discord could send one day. */
    private void structural(ObjectNode d) {
        switch (r.nextInt(9)) {
            case 0 -> d.put("type", new int[]{0, 1, 5, 6, 99, -3}[r.nextInt(6)]);
            case 1 -> ((ObjectNode) d.get("channel")).put("type", new int[]{1, 2, 4, 5, 10, 11, 13, 15, 99}[r.nextInt(9)]);
            case 2 -> d.put("version", r.nextBoolean() ? 2 : 0);
            case 3 -> { // a DM: user instead of member, no guild
                JsonNode user = d.path("member").path("user");
                d.remove(List.of("member", "guild_id", "guild"));
                d.set("user", user.isMissingNode() ? FakeDiscord.user(BOB, "bob") : user);
                ((ObjectNode) d.get("channel")).put("type", 1).remove("guild_id");
                d.put("context", 1);
            }
            case 4 -> d.put("id", switch (r.nextInt(4)) { // ids that are no snowflake (each unique)
                case 0 -> "abc" + seq;
                case 1 -> "-" + seq;
                case 2 -> seq + "99999999999999999999";
                default -> seq + ".5";
            });
            case 5 -> d.put("guild_id", String.valueOf(210000000000000000L + r.nextInt(1000))); // a guild the bot is not in
            case 6 -> d.put("channel_id", String.valueOf(310000000000000000L + r.nextInt(1000)));
            case 7 -> { // the token retyped or gone
                switch (r.nextInt(3)) {
                    case 0 -> d.remove("token");
                    case 1 -> d.putNull("token");
                    default -> d.put("token", seq); // a number; JDA reads it as the string "n"
                }
            }
            default -> d.set("authorizing_integration_owners", JSON.valueToTree(FuzzInputs.wrongValue(r)));
        }
    }

    private static final String[] TOP = {"application_id", "type", "version", "channel_id", "guild_id", "locale",
            "guild_locale", "context", "app_permissions", "channel", "guild", "member", "authorizing_integration_owners",
            "entitlements", "data", "message", "user"};
    private static final String[] INNER = {"member.user", "member.roles", "member.permissions", "member.joined_at",
            "member.user.username", "member.user.id", "channel.id", "channel.type", "channel.name", "channel.permissions",
            "data.name", "data.id", "data.type", "data.options", "data.custom_id", "data.component_type", "guild.id",
            "message.id", "message.components", "message.author", "message.embeds"};

    /** Damages {@code n} fields (never id or token, whose answers are tracked): removed, null, retyped, extra. */
    private void mutate(ObjectNode d, int n) {
        for (int i = 0; i < n; i++) {
            ObjectNode where = d;
            String key;
            if (r.nextBoolean()) {
                key = TOP[r.nextInt(TOP.length)];
            } else {
                String[] path = INNER[r.nextInt(INNER.length)].split("\\.");
                for (int j = 0; j < path.length - 1 && where != null; j++) {
                    JsonNode next = where.get(path[j]);
                    where = next instanceof ObjectNode o ? o : null;
                }
                if (where == null) continue;
                key = path[path.length - 1];
            }
            switch (r.nextInt(5)) {
                case 0 -> where.remove(key);
                case 1 -> where.putNull(key);
                case 2 -> where.put(key, FuzzInputs.text(r));
                case 3 -> where.set(key, JSON.valueToTree(FuzzInputs.wrongValue(r)));
                default -> where.set(FuzzInputs.text(r), JSON.valueToTree(FuzzInputs.wrongValue(r))); // an extra field
            }
        }
    }

    /**
     * An interaction damaged where JDA has to refuse it: cut off anywhere, or a field it needs gone, null or retyped.
     * These cost no REST call, so most of the storm is made of them; the rest reach the adapter.
     */
    private Frame refused() {
        ObjectNode d = switch (r.nextInt(3)) {
            case 0 -> slash();
            case 1 -> autocomplete();
            default -> button();
        };
        String body;
        String kind;
        switch (r.nextInt(4)) {
            case 0 -> {
                String full = d.toString();
                body = full.substring(0, r.nextInt(full.length()));
                kind = "refused:truncated";
            }
            case 1 -> {
                String[] needed = {"id", "token", "type", "channel", "member", "data"};
                String key = needed[r.nextInt(needed.length)];
                // id and token only go or turn null: JDA reads any other value as a string, and Discord makes them
                if (r.nextBoolean()) d.remove(key);
                else if (key.equals("id") || key.equals("token")) d.putNull(key);
                else d.set(key, JSON.valueToTree(FuzzInputs.wrongValue(r)));
                body = d.toString();
                kind = "refused:" + key;
            }
            case 2 -> {
                JsonNode user = d.path("member").path("user");
                if (user instanceof ObjectNode u) {
                    String[] needed = {"id", "username"};
                    String key = needed[r.nextInt(needed.length)];
                    if (r.nextBoolean()) u.remove(key);
                    else u.putNull(key);
                }
                body = d.toString();
                kind = "refused:member.user";
            }
            default -> {
                ObjectNode data = (ObjectNode) d.get("data");
                data.remove(d.path("type").asInt() == 3 ? "custom_id" : "name");
                body = d.toString();
                kind = "refused:data";
            }
        }
        return new Frame((PREFIX + body + "}").getBytes(StandardCharsets.UTF_8), kind);
    }

    private Frame garbage() {
        return switch (r.nextInt(6)) {
            case 5 -> { // nested deeper than Jackson's 1000 levels: the slash command's options, as text
                int depth = 600 + r.nextInt(3000);
                String d = base(2, FakeDiscord.member(BOB, "bob")).toString();
                String opts = "[{\"name\":\"g\",\"type\":2,\"options\":".repeat(depth) + "[]" + "}]".repeat(depth);
                yield new Frame((PREFIX + d.substring(0, d.length() - 1) + ",\"data\":{\"id\":\"600000000000000001\",\"name\":\"reinit\","
                        + "\"type\":1,\"options\":" + opts + "}}}").getBytes(StandardCharsets.UTF_8), "garbage:deep");
            }
            case 0 -> { // random bytes, often not UTF-8
                byte[] b = new byte[r.nextInt(600)];
                r.nextBytes(b);
                yield new Frame(b, "garbage:bytes");
            }
            case 1 -> new Frame(FuzzInputs.text(r).replace("\"op\"", "").getBytes(StandardCharsets.UTF_8), "garbage:text");
            case 2 -> new Frame((PREFIX + JSON.valueToTree(FuzzInputs.wrongValue(r)) + "}").getBytes(StandardCharsets.UTF_8),
                    "garbage:d-not-an-object");
            case 3 -> new Frame((PREFIX + "{\"id\":\"" + snowflake(seq) + "\"," + FuzzInputs.text(r)).getBytes(StandardCharsets.UTF_8),
                    "garbage:unterminated");
            default -> new Frame(("{\"op\":0,\"t\":" + (r.nextBoolean() ? "null" : "\"INTERACTION_CREAT\"") + ",\"d\":"
                    + base(2, FakeDiscord.member(BOB, "bob")) + "}").getBytes(StandardCharsets.UTF_8), "garbage:other-event");
        };
    }
}
