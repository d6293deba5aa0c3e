package io.streamfleet.alerts;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.streamfleet.testkit.arch.FleetArchitecture;

@AnalyzeClasses(packages = "io.streamfleet.alerts", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule shouldFollowTheRulesOfEveryService = FleetArchitecture.serviceRules("io.streamfleet.alerts");

    /** The id codec, signer, retry/SSRF/offset rules, history index, late-events board and alert model are plain Java. */
    @ArchTest
    static final ArchRule shouldKeepTheRulesFreeOfFrameworks = FleetArchitecture.pureCodeIsFreeOfFrameworks(
            "io.streamfleet.alerts.alert", "io.streamfleet.alerts.feed.position", "io.streamfleet.alerts.history.index",
            "io.streamfleet.alerts.webhook.signing", "io.streamfleet.alerts.webhook.policy",
            "io.streamfleet.alerts.webhook.model", "io.streamfleet.alerts.evidence",
            "io.streamfleet.alerts.console.overview", "io.streamfleet.alerts.relay.event",
            "io.streamfleet.alerts.late.board");

    /** The Kafka readers (intake) know Kafka but not Spring, like the fleet's stream adapters. */
    @ArchTest
    static final ArchRule shouldKeepKafkaReadersFreeOfSpring = FleetArchitecture.streamAdaptersAreFreeOfSpring(
            "io.streamfleet.alerts.intake");

    /** The relay's consumer loop knows Kafka but not Spring; only its output binding (relay.binder) uses Spring. */
    @ArchTest
    static final ArchRule shouldKeepTheRelayLoopFreeOfSpring = com.tngtech.archunit.lang.syntax.ArchRuleDefinition
            .noClasses().that().resideInAPackage("io.streamfleet.alerts.relay")
            .should().dependOnClassesThat().resideInAnyPackage("org.springframework..")
            .because("the relay loop is tested without a Spring context; bindings live in relay.binder");
}
