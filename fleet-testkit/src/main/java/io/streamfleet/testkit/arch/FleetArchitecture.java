package io.streamfleet.testkit.arch;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The fleet's architecture rules, shared by every module's ArchUnit test (Kafka checks its allowed imports per package
 * the same way): services never reach into each other, pure code knows neither Spring nor Kafka, and stream adapters
 * know Kafka Streams but not Spring.
 */
public final class FleetArchitecture {

    /** Root package of each service module. */
    public static final List<String> SERVICE_PACKAGES = List.of(
            "io.streamfleet.gateway", "io.streamfleet.processor", "io.streamfleet.cep",
            "io.streamfleet.session", "io.streamfleet.alerts");

    /**
     * Library packages named under a service's root package: the CEP engine and the burst pattern, which moved from
     * cep-detector into the cep-engine module with their package names, and the session rules and engine, which moved
     * from session-analytics into the session-engine module likewise. They belong to no service.
     */
    public static final List<String> LIBRARY_PACKAGES = List.of("io.streamfleet.cep.engine", "io.streamfleet.cep.burst",
            "io.streamfleet.session.engine", "io.streamfleet.session.baseline", "io.streamfleet.session.metrics");

    /** The one class (with its nested classes) that builds Kafka clients, from spring.kafka.* (service-support). */
    public static final String KAFKA_CLIENT_FACTORY = "io.streamfleet.support.kafka.KafkaClients";

    private static final Set<String> CONSTRUCTED_CLIENTS = Set.of(
            "org.apache.kafka.clients.producer.KafkaProducer", "org.apache.kafka.clients.consumer.KafkaConsumer",
            "org.apache.kafka.streams.KafkaStreams");
    private static final Set<String> CREATED_ADMINS = Set.of(
            "org.apache.kafka.clients.admin.Admin", "org.apache.kafka.clients.admin.AdminClient");

    private FleetArchitecture() {
    }

    /**
     * What every service's classes obey, whatever else its own test adds: no other service's classes, Spring
     * configuration only in {@code config}, Kafka clients only from {@link #KAFKA_CLIENT_FACTORY}.
     */
    public static ArchRule serviceRules(String ownPackage) {
        return CompositeArchRule.of(noDependencyOnOtherServices(ownPackage))
                .and(configurationLivesInConfig(ownPackage))
                .and(kafkaClientsComeFromTheSharedFactory(ownPackage));
    }

    /**
     * Kafka clients are built only by {@link #KAFKA_CLIENT_FACTORY}, never with {@code new KafkaProducer / KafkaConsumer
     * / KafkaStreams} or {@code Admin.create}, and production code never asks it for a plaintext client of bare
     * bootstrap servers: a client built by hand misses the security settings of spring.kafka.*.
     */
    public static ArchRule kafkaClientsComeFromTheSharedFactory(String ownPackage) {
        DescribedPredicate<JavaCall<?>> buildsAClient = new DescribedPredicate<>(
                "build a Kafka client outside " + KAFKA_CLIENT_FACTORY) {
            @Override
            public boolean test(JavaCall<?> call) {
                String owner = call.getTargetOwner().getName();
                String name = call.getName();
                return ("<init>".equals(name) && CONSTRUCTED_CLIENTS.contains(owner))
                        || ("create".equals(name) && CREATED_ADMINS.contains(owner))
                        || ("forBootstrapServers".equals(name) && KAFKA_CLIENT_FACTORY.equals(owner));
            }
        };
        return noClasses().that().resideInAPackage(ownPackage + "..")
                .and().haveNameNotMatching(java.util.regex.Pattern.quote(KAFKA_CLIENT_FACTORY) + "(\\$.*)?")
                .should().callCodeUnitWhere(buildsAClient)
                .because("every Kafka client takes its connection and security settings from spring.kafka.*");
    }

    /** Classes of {@code ownPackage} depend on no other service's package (library packages are not a service's). */
    public static ArchRule noDependencyOnOtherServices(String ownPackage) {
        return noClasses().that().resideInAPackage(ownPackage + "..")
                .should().dependOnClassesThat(serviceClassesOutside(ownPackage))
                .because("services talk only through Kafka topics named in shared-contracts");
    }

    /** Classes of a library's packages depend on no service at all (a library is used by services, never the reverse). */
    public static ArchRule noDependencyOnAnyService(String... libraryPackages) {
        return noClasses().that().resideInAnyPackage(withSubpackages(libraryPackages))
                .should().dependOnClassesThat(serviceClassesOutside(null))
                .because("a library is shared by services and harnesses; depending on a service would tie them to it");
    }

    private static DescribedPredicate<JavaClass> serviceClassesOutside(String ownPackage) {
        String[] services = SERVICE_PACKAGES.stream()
                .filter(p -> !p.equals(ownPackage))
                .map(p -> p + "..")
                .toArray(String[]::new);
        String[] libraries = withSubpackages(LIBRARY_PACKAGES.toArray(String[]::new));
        return JavaClass.Predicates.resideInAnyPackage(services)
                .and(DescribedPredicate.not(JavaClass.Predicates.resideInAnyPackage(libraries)))
                .as(ownPackage == null ? "classes of a service" : "classes of a service other than " + ownPackage);
    }

    /** Pure domain packages use the JDK and shared-contracts only: no Spring, no Kafka, no web. */
    public static ArchRule pureCodeIsFreeOfFrameworks(String... purePackages) {
        return noClasses().that().resideInAnyPackage(withSubpackages(purePackages))
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.springframework..", "org.apache.kafka..", "reactor..", "jakarta.servlet..",
                        "io.micrometer..")
                .because("the product's rules live in plain Java, testable without any framework");
    }

    /** Stream adapters (topologies, processors) may use Kafka Streams but not Spring. */
    public static ArchRule streamAdaptersAreFreeOfSpring(String... adapterPackages) {
        return noClasses().that().resideInAnyPackage(withSubpackages(adapterPackages))
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..")
                .because("topologies are tested with TopologyTestDriver, without a Spring context");
    }

    /** Only the {@code config} package (and the application class) declares Spring configuration. */
    public static ArchRule configurationLivesInConfig(String ownPackage) {
        return noClasses().that().resideInAPackage(ownPackage + "..")
                .and().resideOutsideOfPackage(ownPackage + ".config..")
                .should().beAnnotatedWith("org.springframework.context.annotation.Configuration")
                .because("Spring wiring is small, explicit and in one place");
    }

    private static String[] withSubpackages(String... packages) {
        return Arrays.stream(packages).map(p -> p.endsWith("..") ? p : p + "..").toArray(String[]::new);
    }
}
