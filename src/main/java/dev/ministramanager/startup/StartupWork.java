package dev.ministramanager.startup;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.apache.camel.CamelContext;

/**
 * Start-up work that runs on a thread of its own while Camel loads and initialises the routes (opening and
 * migrating the database, starting the embedded simulator). The context waits for each piece before any route
 * starts, so no route and no readiness check sees a half-started service, and a failure stops the start-up as an
 * exception in {@code configure()} does.
 */
public final class StartupWork {

    private StartupWork() {
    }

    /** Starts {@code work} now; the context's routes start only after it has finished. */
    public static <T> CompletableFuture<T> begin(CamelContext camel, String what, Callable<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                result.complete(work.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "startup-" + what);
        // a start-up that fails elsewhere must still let the JVM exit
        thread.setDaemon(true);
        thread.start();
        try {
            camel.addStartupListener((context, alreadyStarted) -> await(result, what));
        } catch (Exception e) {
            throw new IllegalStateException("Cannot register the start-up step " + what, e);
        }
        return result;
    }

    /** Waits for start-up work; its failure is rethrown with its own message. */
    private static void await(CompletableFuture<?> work, String what) {
        try {
            work.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            throw new IllegalStateException("Start-up step '" + what + "' failed: " + cause.getMessage(), cause);
        }
    }
}
