package io.pielock.sample.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import tools.jackson.databind.json.JsonMapper;

import io.pielock.sample.InstanceController.InstanceInfo;
import io.pielock.sample.shop.Item;
import io.pielock.sample.store.JobRun;
import io.pielock.sample.store.Reservation;

/**
 * The shop's HTTP API as the demo (and the end-to-end tests) call it, through {@link HttpClient}. Requests
 * wait at most {@link #REQUEST_TIMEOUT}: longer than the default lock timeout (60 s), so a slow answer shows
 * up as the shop's own 503 rather than a client timeout.
 */
public class ShopClient {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(90);

    private final HttpClient http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .build();

    private final JsonMapper json = JsonMapper.builder().build();

    /**
     * @param target the instance's base URL
     * @param sku the item
     * @param units the units on sale
     * @return the item, as the instance answered
     */
    public Item restock(URI target, String sku, int units) {
        return read(send("PUT", target, "/api/items/" + sku + "/stock?units=" + units), Item.class);
    }

    /**
     * @param target the instance's base URL
     * @param sku the item
     * @param user the buyer
     * @return the answer: 200 with the reservation, 409 when sold out, or any other status
     */
    public HttpResponse<String> reserve(URI target, String sku, String user) {
        return send("POST", target, "/api/items/" + sku + "/reserve?user=" + user);
    }

    /**
     * @param target the instance's base URL
     * @param sku the item
     * @return its stock and price
     */
    public Item item(URI target, String sku) {
        return read(send("GET", target, "/api/items/" + sku), Item.class);
    }

    /**
     * @param target the instance's base URL
     * @param sku the item
     * @return its reservations, oldest first
     */
    public List<Reservation> reservations(URI target, String sku) {
        return Arrays.asList(read(send("GET", target, "/api/items/" + sku + "/reservations"), Reservation[].class));
    }

    /**
     * @param target the instance's base URL
     * @param job the job's name
     * @return its latest runs, oldest first
     */
    public List<JobRun> jobRuns(URI target, String job) {
        return Arrays.asList(read(send("GET", target, "/api/jobs/" + job + "/runs"), JobRun[].class));
    }

    /**
     * @param target the instance's base URL
     * @return which instance it is, and its store
     */
    public InstanceInfo instance(URI target) {
        return read(send("GET", target, "/api/instance"), InstanceInfo.class);
    }

    /**
     * Sends a request without a body.
     * @param method the HTTP method
     * @param target the instance's base URL
     * @param path the path and query, starting with {@code /}
     * @return the answer, whatever its status
     * @throws UncheckedIOException if the instance could not be reached
     */
    public HttpResponse<String> send(String method, URI target, String path) {
        HttpRequest request = HttpRequest.newBuilder(target.resolve(path))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .timeout(REQUEST_TIMEOUT)
            .build();
        try {
            return this.http.send(request, HttpResponse.BodyHandlers.ofString());
        }
        catch (IOException ex) {
            throw new UncheckedIOException(method + " " + request.uri() + " failed: " + ex, ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(method + " " + request.uri() + " interrupted", ex);
        }
    }

    /**
     * @param response a 200 answer with a JSON body
     * @param type what the body holds
     * @param <T> its type
     * @return the body
     * @throws IllegalStateException if the status was not 200
     */
    public <T> T read(HttpResponse<String> response, Class<T> type) {
        if (response.statusCode() != 200) {
            throw new IllegalStateException(response.request().method() + " " + response.uri() + " answered "
                    + response.statusCode() + ": " + response.body());
        }
        return this.json.readValue(response.body(), type);
    }
}
