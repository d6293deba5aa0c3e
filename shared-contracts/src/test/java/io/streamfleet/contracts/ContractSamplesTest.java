package io.streamfleet.contracts;

import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.streamfleet.contracts.json.ContractReader;
import io.streamfleet.contracts.validation.FieldError;
import io.streamfleet.contracts.validation.Validated;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every sample under {@code samples/valid} passes both the JSON Schema and the records' validation; every sample under
 * {@code samples/invalid} (named {@code <contract>__<field>__<case>.json}) fails both, and the records' validation
 * names the field.
 */
class ContractSamplesTest {

    private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    @TestFactory
    Stream<DynamicTest> shouldAcceptEveryValidSampleWithSchemaAndRecordValidation() {
        return samples("valid").map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            String json = Files.readString(file);
            String contract = contractOfValidSample(file.getFileName().toString());
            assertThat(schema(contract).validate(json, InputFormat.JSON)).as("schema errors").isEmpty();
            Validated<?> result = reader(contract).read(json.getBytes(StandardCharsets.UTF_8));
            assertThat(result.errors()).as("record validation errors").isEmpty();
        }));
    }

    @TestFactory
    Stream<DynamicTest> shouldRejectEveryInvalidSampleNamingTheField() {
        return samples("invalid").map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            String[] parts = file.getFileName().toString().split("__");
            String contract = parts[0];
            String field = parts[1];
            String json = Files.readString(file);
            assertThat(schema(contract).validate(json, InputFormat.JSON)).as("schema errors").isNotEmpty();
            Validated<?> result = reader(contract).read(json.getBytes(StandardCharsets.UTF_8));
            assertThat(result.isValid()).isFalse();
            assertThat(result.errors()).extracting(FieldError::field).contains(field);
        }));
    }

    private static String contractOfValidSample(String name) {
        if (name.startsWith("order-event")) {
            return "order";
        }
        if (name.startsWith("engagement-event")) {
            return "engagement";
        }
        if (name.startsWith("anomaly-alert")) {
            return "anomaly";
        }
        return "engagementalert";
    }

    private static ContractReader<?> reader(String contract) {
        return switch (contract) {
            case "order" -> Contracts.orderEventReader();
            case "engagement" -> Contracts.engagementEventReader();
            case "anomaly" -> Contracts.anomalyAlertReader();
            case "engagementalert" -> Contracts.engagementAlertReader();
            default -> throw new IllegalArgumentException(contract);
        };
    }

    private static Schema schema(String contract) {
        String file = switch (contract) {
            case "order" -> "order-event";
            case "engagement" -> "engagement-event";
            case "anomaly" -> "anomaly-alert";
            case "engagementalert" -> "engagement-alert";
            default -> throw new IllegalArgumentException(contract);
        };
        InputStream in = ContractSamplesTest.class.getResourceAsStream("/schemas/" + file + ".schema.json");
        return SCHEMAS.getSchema(in);
    }

    private static Stream<Path> samples(String folder) {
        try {
            Path dir = Path.of(ContractSamplesTest.class.getResource("/samples/" + folder).toURI());
            List<Path> files;
            try (Stream<Path> list = Files.list(dir)) {
                files = list.filter(p -> p.toString().endsWith(".json")).sorted().toList();
            }
            assertThat(files).isNotEmpty();
            return files.stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
