package io.pielock.sample.store;

import java.time.Instant;

/**
 * One run of a scheduled job.
 * @param job the job's name
 * @param slot the scheduled time the run was for (the same on every instance)
 * @param instance the application instance that ran it
 * @param finishedAt when it finished
 */
public record JobRun(String job, Instant slot, String instance, Instant finishedAt) {
}
