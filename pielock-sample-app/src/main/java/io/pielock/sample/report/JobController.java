package io.pielock.sample.report;

import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import io.pielock.sample.store.JobRun;
import io.pielock.sample.store.ShopRepository;

/** {@code GET /api/jobs/nightly-report/runs}: which instance ran the report, slot by slot. */
@RestController
public class JobController {

    private final ShopRepository repository;

    JobController(ShopRepository repository) {
        this.repository = repository;
    }

    /** @return the latest runs of the nightly report, oldest first */
    @GetMapping("/api/jobs/" + NightlyReport.JOB + "/runs")
    public List<JobRun> nightlyReportRuns() {
        return this.repository.jobRuns(NightlyReport.JOB);
    }
}
