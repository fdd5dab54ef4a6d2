package dev.ministramanager.testsupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;

/**
 * A flow test that must behave the same on both databases we offer. Surefire's default execution runs it on
 * PostgreSQL; its execution {@code h2} runs the classes with this tag again with {@code mm.test.database=h2}. Such a
 * class takes its database from {@link TestDatabase#forFlows()}.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag(OnBothDatabases.TAG)
public @interface OnBothDatabases {

    String TAG = "both-databases";
}
