package org.openhall.api.queue;

import java.util.Objects;
import java.util.function.Function;

/**
 * The result of an operation: a value, or an error that left the hall unchanged. Operations never
 * throw for refusals; they throw only for programming errors (null arguments).
 */
public sealed interface Result<T> permits Result.Ok, Result.Err {

    record Ok<T>(T value) implements Result<T> {
        public Ok {
            Objects.requireNonNull(value, "value");
        }
    }

    record Err<T>(QueueError error) implements Result<T> {
        public Err {
            Objects.requireNonNull(error, "error");
        }
    }

    static <T> Result<T> ok(T value) {
        return new Ok<>(value);
    }

    static <T> Result<T> error(ErrorCode code, String message) {
        return new Err<>(new QueueError(code, message));
    }

    default boolean isOk() {
        return this instanceof Ok;
    }

    /** The value; throws {@link IllegalStateException} with the error's message on an error. */
    default T value() {
        if (this instanceof Ok<T> ok) {
            return ok.value();
        }
        QueueError e = ((Err<T>) this).error();
        throw new IllegalStateException(e.code() + ": " + e.message());
    }

    /** The error; throws {@link IllegalStateException} on success. */
    default QueueError error() {
        if (this instanceof Err<T> err) {
            return err.error();
        }
        throw new IllegalStateException("not an error: " + this);
    }

    default <U> Result<U> map(Function<? super T, ? extends U> f) {
        if (this instanceof Ok<T> ok) {
            return new Ok<>(f.apply(ok.value()));
        }
        return new Err<>(((Err<T>) this).error());
    }
}
