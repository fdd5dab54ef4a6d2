package dev.ministramanager.simulator;

/** Thrown by a resource handler: the envelope becomes {@code {"status":"ERROR","results":null,"error":...}}. */
final class ApiError extends RuntimeException {

    ApiError(String message) {
        super(message, null, false, false);
    }
}
