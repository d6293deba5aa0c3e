package io.streamfleet.drills.containers;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The annotated test class runs only with a Docker engine, and is skipped with a reason otherwise ({@link DockerEngine}). */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(DockerEngine.class)
public @interface RequiresDocker {
}
