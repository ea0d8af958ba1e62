package io.pielock.benchmark.report;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The versions of the libraries on the class path, as their jars say. */
public final class Versions {

    private Versions() {
    }

    /**
     * @param groupId a Maven group
     * @param artifactId an artifact of it
     * @param sample a class from that artifact, for jars built without a Maven descriptor (Gradle builds)
     * @return its version on the class path, or "unknown"
     */
    public static String of(String groupId, String artifactId, Class<?> sample) {
        String descriptor = "META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties";
        try (InputStream in = sample.getClassLoader().getResourceAsStream(descriptor)) {
            if (in != null) {
                Properties properties = new Properties();
                properties.load(in);
                return properties.getProperty("version", "unknown");
            }
        }
        catch (IOException ex) {
            // fall back to the manifest
        }
        String manifest = sample.getPackage().getImplementationVersion();
        return (manifest != null) ? manifest : "unknown";
    }
}
