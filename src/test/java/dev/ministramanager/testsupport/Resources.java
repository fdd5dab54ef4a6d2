package dev.ministramanager.testsupport;

/** Test teardown: closes what a test class started, in order; null entries (a start that failed) are skipped. */
public final class Resources {

    private Resources() {
    }

    public static void closeAll(AutoCloseable... resources) {
        for (AutoCloseable resource : resources) {
            if (resource != null) {
                try {
                    resource.close();
                } catch (Exception e) {
                    throw new IllegalStateException("Could not close " + resource, e);
                }
            }
        }
    }
}
