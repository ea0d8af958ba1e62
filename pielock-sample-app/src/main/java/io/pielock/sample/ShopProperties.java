package io.pielock.sample;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of the sample shop ({@code shop.*}).
 */
@ConfigurationProperties("shop")
public class ShopProperties {

    /**
     * Prefix of the shop's own Redis keys (stock, reservations, prices, job runs).
     */
    private String keyPrefix = "shop:";

    private final Report report = new Report();

    public String getKeyPrefix() {
        return this.keyPrefix;
    }

    public void setKeyPrefix(String keyPrefix) {
        this.keyPrefix = keyPrefix;
    }

    public Report getReport() {
        return this.report;
    }

    /** The nightly report job. */
    public static class Report {

        /**
         * When the nightly report runs, as a Spring cron expression in UTC ("-" turns it off).
         */
        private String cron = "0 0 2 * * *";

        public String getCron() {
            return this.cron;
        }

        public void setCron(String cron) {
            this.cron = cron;
        }
    }
}
