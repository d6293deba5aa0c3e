package io.streamfleet.cep;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.streamfleet.testkit.arch.FleetArchitecture;

@AnalyzeClasses(packages = "io.streamfleet.cep", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule shouldFollowTheRulesOfEveryService = FleetArchitecture.serviceRules("io.streamfleet.cep");

    @ArchTest
    static final ArchRule shouldKeepStreamAdaptersFreeOfSpring = FleetArchitecture.streamAdaptersAreFreeOfSpring(
            "io.streamfleet.cep.operator", "io.streamfleet.cep.topology");
}
