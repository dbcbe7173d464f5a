package io.custos.agent.check;

import static com.tngtech.archunit.base.DescribedPredicate.alwaysTrue;
import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The layering of {@code io.custos.agent.check}: each family of checks ({@code check.fs}, {@code
 * check.snmp}, ...) uses the base package and {@code check.os}, never another family, so a family
 * can be read, changed or removed alone; {@code check.os} (how the machine is read) knows no
 * family. Production classes only: a test may combine families.
 */
class CheckLayeringTest {
  private static final String OS = "io.custos.agent.check.os..";
  private static final String FAMILIES = "io.custos.agent.check.*..";
  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.custos.agent.check");

  @Test
  void familiesDoNotImportEachOther() {
    slices()
        .matching("io.custos.agent.check.(*)..")
        .should()
        .notDependOnEachOther()
        // check.os is the floor every family stands on; the next rule keeps it free of families.
        .ignoreDependency(alwaysTrue(), resideInAPackage(OS))
        .check(MAIN);
  }

  @Test
  void osKnowsNoFamily() {
    noClasses()
        .that()
        .resideInAPackage(OS)
        .should()
        .dependOnClassesThat(resideInAPackage(FAMILIES).and(not(resideInAPackage(OS))))
        .check(MAIN);
  }
}
