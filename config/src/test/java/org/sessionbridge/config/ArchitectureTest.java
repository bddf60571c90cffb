package org.sessionbridge.config;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The dependency direction of ARCHITECTURE.md, checked on the compiled classes of every module. */
class ArchitectureTest {

  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.sessionbridge");
  }

  @Test
  void hubCoreKnowsNoOtherModuleAndNoIntegrationLibrary() {
    noClasses()
        .that()
        .resideInAPackage("org.sessionbridge.core..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.sessionbridge.routes..",
            "org.sessionbridge.ics..",
            "org.sessionbridge.connector..",
            "org.sessionbridge.config..",
            "org.apache.camel..",
            "org.springframework.web..",
            "org.springframework.boot..",
            "okhttp3..",
            "com.microsoft..",
            "com.google.api..",
            "net.fortuna..")
        .check(classes);
  }

  @Test
  void portsAndErrorsArePlainJava() {
    noClasses()
        .that()
        .resideInAnyPackage("org.sessionbridge.core.port..", "org.sessionbridge.core.error..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.springframework..", "org.flywaydb..", "java.sql..")
        .check(classes);
  }

  @Test
  void routesSeePortsAndCamelButNoConnectorOrVendorSdk() {
    noClasses()
        .that()
        .resideInAPackage("org.sessionbridge.routes..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.sessionbridge.connector..",
            "org.sessionbridge.config..",
            "org.sessionbridge.ics..",
            "org.springframework.web..",
            "okhttp3..",
            "com.microsoft..",
            "com.google.api..")
        .check(classes);
  }

  @Test
  void icsExportKnowsOnlyHubCore() {
    noClasses()
        .that()
        .resideInAPackage("org.sessionbridge.ics..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.sessionbridge.routes..",
            "org.sessionbridge.connector..",
            "org.sessionbridge.config..",
            "org.apache.camel..")
        .allowEmptyShould(true)
        .check(classes);
  }

  @Test
  void connectorsDoNotKnowEachOther() {
    for (String vendor : new String[] {"zoom", "microsoft", "google"}) {
      noClasses()
          .that()
          .resideInAPackage("org.sessionbridge.connector." + vendor + "..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "org.sessionbridge.routes..",
              "org.sessionbridge.config..",
              otherConnectors(vendor)[0],
              otherConnectors(vendor)[1])
          .allowEmptyShould(true)
          .check(classes);
    }
  }

  private static String[] otherConnectors(String vendor) {
    return java.util.Arrays.stream(new String[] {"zoom", "microsoft", "google"})
        .filter(v -> !v.equals(vendor))
        .map(v -> "org.sessionbridge.connector." + v + "..")
        .toArray(String[]::new);
  }
}
