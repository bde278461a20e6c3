package org.openhall.mqtt.bridge.internal.payload;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/** The contract's JSON Schemas (docs/mqtt/schemas), for validating real payloads in tests. */
public final class Schemas {

    public static final String BASE = "https://openhall.org/mqtt/v1/schemas/";
    private static final Path DIR = Path.of(System.getProperty("openhall.schemas", "../docs/mqtt/schemas"))
            .toAbsolutePath().normalize();
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            b -> b.schemaMappers(m -> m.mapPrefix(BASE, DIR.toUri().toString())));
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true)
            .build();

    private Schemas() {
    }

    /** A schema by file name, optionally with a fragment: {@code event.json}, {@code command.json#/$defs/start}. */
    public static JsonSchema schema(String ref) {
        if (!Files.isRegularFile(DIR.resolve(ref.replaceAll("#.*", "")))) {
            fail("schema file missing: " + DIR.resolve(ref));
        }
        return FACTORY.getSchema(SchemaLocation.of(BASE + ref), CONFIG);
    }

    /** The problems of {@code node} under the schema; empty when valid. */
    public static Set<String> problems(String ref, JsonNode node) {
        return schema(ref).validate(node).stream().map(ValidationMessage::getMessage).collect(Collectors.toSet());
    }

    public static void assertValid(String ref, JsonNode node) {
        Set<String> p = problems(ref, node);
        assertTrue(p.isEmpty(), () -> node + " is not valid under " + ref + ": " + p);
    }

    public static void assertInvalid(String ref, JsonNode node) {
        assertTrue(!problems(ref, node).isEmpty(), () -> node + " should be invalid under " + ref);
    }
}
