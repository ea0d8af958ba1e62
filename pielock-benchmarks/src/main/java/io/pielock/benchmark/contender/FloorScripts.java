package io.pielock.benchmark.contender;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The raw floor's Lua scripts, read once from resources beside this class; each client loads them for EVALSHA. */
final class FloorScripts {

    static final String UNLOCK = read("floor-unlock.lua");

    static final String LIMIT = read("floor-limit.lua");

    private FloorScripts() {
    }

    /**
     * @param name a script's file name beside this class, or an absolute class-path name ({@code /io/…})
     * @return its text
     */
    static String read(String name) {
        try (InputStream in = FloorScripts.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("Missing script resource " + name + " (relative names are beside "
                        + FloorScripts.class.getName() + ")");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
