package dev.ministramanager.operations;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackages;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The package map of README's "How it works", kept true: packages by capability with one-way dependencies, the
 * Ministra client below everything that uses it. (The simulator's independence is {@code SimulatorIndependenceTest}.)
 */
class PackageRulesTest {

    private static final JavaClasses SERVICE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.ministramanager");

    @Test
    void packagesDependOnEachOtherOneWayOnly() {
        slices().matching("dev.ministramanager.(*)..").should().beFreeOfCycles().check(SERVICE);
    }

    @Test
    void theMinistraClientKnowsNothingOfTheRestApi() {
        noClasses().that().resideInAPackage("dev.ministramanager.ministra..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.ministramanager.api..",
                        "dev.ministramanager.security..", "dev.ministramanager.openapi..",
                        "dev.ministramanager.console..")
                .check(SERVICE);
    }

    @Test
    void theMinistraClientDependsOnNoCapability() {
        noClasses().that().resideInAPackage("dev.ministramanager.ministra..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.ministramanager.accounts..",
                        "dev.ministramanager.companies..", "dev.ministramanager.tariffs..",
                        "dev.ministramanager.status..", "dev.ministramanager.reconciliation..",
                        "dev.ministramanager.stb..", "dev.ministramanager.events..")
                .check(SERVICE);
    }

    /** Fleet reads (batch reads of Ministra, local accounts) serve status, reconciliation and imports alike. */
    @Test
    void theFleetReadsKnowOnlyTheMinistraClientAndTheDatabase() {
        noClasses().that().resideInAPackage("dev.ministramanager.fleet..")
                .should().dependOnClassesThat(resideInAPackage("dev.ministramanager..").and(resideOutsideOfPackages(
                        "dev.ministramanager.fleet..", "dev.ministramanager.ministra..",
                        "dev.ministramanager.persistence..")))
                .check(SERVICE);
    }

    @Test
    void theServiceUsesTheSimulatorOnlyToEmbedIt() {
        noClasses().that().resideOutsideOfPackages("dev.ministramanager.simulator..", "dev.ministramanager.embedded..")
                .should().dependOnClassesThat().resideInAPackage("dev.ministramanager.simulator..")
                .check(SERVICE);
    }
}
