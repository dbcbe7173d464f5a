package io.custos.collector;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.custos.collector.alert.AlertEngine;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The collector's layering, as rules over its compiled main classes (ArchUnit), so that a change
 * that breaks them fails the build instead of waiting for a reviewer.
 */
class LayeringTest {
  private static JavaClasses main;

  @BeforeAll
  static void importMainClasses() {
    main =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.custos.collector");
  }

  /** The ground floor holds values: config reads and validates, it builds nothing above it. */
  @Test
  void configDependsOnlyOnCommonTheJdkAndJackson() {
    ArchRule rule =
        classes()
            .that()
            .resideInAPackage("io.custos.collector.config..")
            .should()
            .onlyDependOnClassesThat()
            .resideInAnyPackage(
                "io.custos.collector.config..",
                "io.custos.common..",
                "java..",
                "com.fasterxml.jackson..")
            .because("config is a leaf: the factories live with the packages that use them");
    rule.check(main);
  }

  /** The facade is for the rest of the collector; its parts talk to each other directly. */
  @Test
  void nothingInsideAlertUsesTheAlertEngineFacade() {
    ArchRule rule =
        noClasses()
            .that()
            .resideInAPackage("io.custos.collector.alert..")
            .and()
            .doNotBelongToAnyOf(AlertEngine.class)
            .should()
            .dependOnClassesThat()
            .belongToAnyOf(AlertEngine.class)
            .because("AlertEngine only wires the alert package together for the outside");
    rule.check(main);
  }
}
