package dev.pgchatops.core;

/** GET /cluster answers in Patroni 3.x format. */
public final class PatroniJson {
    private PatroniJson() {
    }

    /** Three running members node1..node3 on {@code timeline}, {@code leader} leading, no lag. */
    public static String cluster(String leader, int timeline) {
        return cluster(leader, timeline, null);
    }

    /** As {@link #cluster(String, int)}, with member i's api_url on {@code apis.get(i - 1)} when given. */
    public static String cluster(String leader, int timeline, java.util.List<java.net.URI> apis) {
        StringBuilder sb = new StringBuilder("{\"scope\":\"main\",\"members\":[");
        for (int i = 1; i <= 3; i++) {
            String name = "node" + i;
            boolean l = name.equals(leader);
            if (i > 1) sb.append(',');
            sb.append("{\"name\":\"").append(name).append("\",\"role\":\"").append(l ? "leader" : "replica")
                    .append("\",\"state\":\"").append(l ? "running" : "streaming")
                    .append("\",\"api_url\":\"").append(apis == null ? "http://10.0.0." + i + ":8008" : apis.get(i - 1).toString())
                    .append("/patroni\",\"host\":\"10.0.0.").append(i)
                    .append("\",\"port\":5432,\"timeline\":").append(timeline);
            if (!l) sb.append(",\"lag\":0");
            sb.append('}');
        }
        return sb.append("]}").toString();
    }
}
