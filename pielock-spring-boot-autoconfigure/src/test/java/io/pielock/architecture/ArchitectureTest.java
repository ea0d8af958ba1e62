package io.pielock.architecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The library could be split from its Spring Boot auto-configuration: only io.pielock.autoconfigure knows Boot, but
 * for io.pielock.actuate, which knows Boot's actuator and health API and nothing else of Boot (as Boot keeps its
 * actuator apart from its auto-configuration).
 */
class ArchitectureTest {

    private final JavaClasses library = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.pielock");

    @Test
    void onlyTheAutoconfigurePackageDependsOnSpringBoot() {
        noClasses().that()
            .resideOutsideOfPackages("io.pielock.autoconfigure..", "io.pielock.actuate..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("org.springframework.boot..")
            .check(this.library);
    }

    @Test
    void theActuatePackageKnowsOnlyBootsActuatorAndHealthApi() {
        noClasses().that()
            .resideInAPackage("io.pielock.actuate..")
            .should()
            .dependOnClassesThat(JavaClass.Predicates.resideInAPackage("org.springframework.boot..")
                .and(DescribedPredicate.not(JavaClass.Predicates.resideInAnyPackage(
                        "org.springframework.boot.actuate.endpoint..", "org.springframework.boot.health.contributor.."))))
            .orShould()
            .dependOnClassesThat()
            .resideInAPackage("io.pielock.autoconfigure..")
            .check(this.library);
    }

    @Test
    void onlyTheAutoconfigurePackageUsesTheActuatePackage() {
        noClasses().that()
            .resideOutsideOfPackages("io.pielock.autoconfigure..", "io.pielock.actuate..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.pielock.actuate..")
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
