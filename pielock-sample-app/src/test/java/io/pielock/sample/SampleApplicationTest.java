package io.pielock.sample;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import io.pielock.lock.LockTemplate;
import io.pielock.store.memory.InMemoryLockStore;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SampleApplicationTest {

    @LocalServerPort
    int port;

    @Autowired
    LockTemplate lockTemplate;

    @Test
    void lockedEndpointAnswersOverHttpWithTheMemoryStoreByDefault(@Autowired io.pielock.lock.LockStore store)
            throws Exception {
        assertThat(store).isInstanceOf(InMemoryLockStore.class);
        HttpResponse<String> response = HttpClient.newHttpClient()
            .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/api/counters/a"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).startsWith("a=1 (fencing token ");
    }
}
