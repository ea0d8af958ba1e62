package io.pielock.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The library could be split from its Spring Boot auto-configuration: only io.pielock.autoconfigure knows Boot. */
class ArchitectureTest {

    private final JavaClasses library = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.pielock");

    @Test
    void onlyTheAutoconfigurePackageDependsOnSpringBoot() {
        noClasses().that()
            .resideOutsideOfPackage("io.pielock.autoconfigure..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("org.springframework.boot..")
            .check(this.library);
    }

    @Test
    void storesDoNotDependOnTheAnnotationLayer() {
        noClasses().that()
            .resideInAPackage("io.pielock.store..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("io.pielock.interceptor..", "io.pielock.annotation..", "io.pielock.autoconfigure..")
            .check(this.library);
    }

    @Test
    void theLockAndLimiterApiDoesNotDependOnStoresOrInterceptors() {
        noClasses().that()
            .resideInAnyPackage("io.pielock.lock..", "io.pielock.limiter..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("io.pielock.store..", "io.pielock.interceptor..", "io.pielock.autoconfigure..",
                    "io.pielock.observation..")
            .check(this.library);
    }

    @Test
    void onlyTheObservationPackageAndTheAutoConfigurationKnowMicrometer() {
        noClasses().that()
            .resideOutsideOfPackages("io.pielock.observation..", "io.pielock.autoconfigure..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.micrometer..")
            .check(this.library);
    }

    @Test
    void theObservationPackageKnowsOnlyTheTemplatesApi() {
        noClasses().that()
            .resideInAPackage("io.pielock.observation..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("io.pielock.store..", "io.pielock.interceptor..", "io.pielock.autoconfigure..",
                    "org.springframework..")
            .check(this.library);
    }
}
