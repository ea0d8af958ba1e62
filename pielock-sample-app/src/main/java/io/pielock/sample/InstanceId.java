package io.pielock.sample;

import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

/**
 * Names this application instance in logs, reservations and job runs: its HTTP port and process id, e.g.
 * {@code 8081/pid-4242}, so the instances of a two-instance run are told apart even on one machine.
 */
@Component
public class InstanceId implements ApplicationListener<WebServerInitializedEvent> {

    private static final String PID = "pid-" + ProcessHandle.current().pid();

    private volatile String id = "?/" + PID;

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        this.id = event.getWebServer().getPort() + "/" + PID;
    }

    /** @return this instance's name */
    public String id() {
        return this.id;
    }

    @Override
    public String toString() {
        return this.id;
    }
}
