package dev.ministramanager.simulator;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The simulator is a separate world: it depends on nothing else of the project, and not on Camel. */
class SimulatorIndependenceTest {

    private static final JavaClasses SIMULATOR = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.ministramanager.simulator");

    @Test
    void importsNothingOfTheService() {
        noClasses().should().dependOnClassesThat(resideInAPackage("dev.ministramanager..")
                        .and(resideOutsideOfPackage("dev.ministramanager.simulator..")))
                .check(SIMULATOR);
    }

    @Test
    void doesNotUseCamel() {
        noClasses().should().dependOnClassesThat().resideInAPackage("org.apache.camel..").check(SIMULATOR);
    }
}
