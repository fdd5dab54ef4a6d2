package dev.ministramanager.imports;

import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import dev.ministramanager.ministra.MinistraFailure;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs import jobs on one thread of this node, one job at a time: a job started here, and (timer route
 * {@code imports-resume}) a job whose node stopped or crashed, once its lease has run out. A job that fails is
 * marked failed with the reason; a job interrupted by this node stopping is left running, for a node to resume.
 */
public class ImportRunner extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(ImportRunner.class);

    /** This node is stopping: leave the job as it is (its lease will expire). */
    static final class Stopping extends RuntimeException {
        Stopping() {
            super("This node is stopping", null, false, false);
        }
    }

    /** The job cannot go on; the message says why. */
    static final class ImportFailed extends RuntimeException {
        ImportFailed(String message) {
            super(message, null, false, false);
        }
    }

    private final ImportJobs jobs;
    private final CsvImport csv;
    private final MinistraImport ministra;
    private final ExecutorService executor;
    /** Jobs queued or running on this node. */
    private final AtomicInteger jobsHere = new AtomicInteger();
    private volatile boolean stopping;

    public ImportRunner(ImportJobs jobs, CsvImport csv, MinistraImport ministra, ExecutorService executor) {
        this.jobs = jobs;
        this.csv = csv;
        this.ministra = ministra;
        this.executor = executor;
    }

    /** Runs a job this node has just created (and leased). */
    void start(long jobId) {
        jobsHere.incrementAndGet();
        executor.execute(() -> run(jobs.job(jobId)));
    }

    /** Timer route {@code imports-resume}: takes over one abandoned job, when this node runs none. */
    public void resumeAbandoned() {
        if (stopping || !jobsHere.compareAndSet(0, 1)) {
            return;
        }
        Optional<ImportJobs.Job> job;
        try {
            job = jobs.claimAbandoned();
        } catch (RuntimeException e) {
            jobsHere.decrementAndGet();
            throw e;
        }
        if (job.isEmpty()) {
            jobsHere.decrementAndGet();
            return;
        }
        LOG.info("Resuming import job {} after row {}", job.get().id(), job.get().checkpoint());
        executor.execute(() -> run(job.get()));
    }

    private void run(ImportJobs.Job job) {
        try {
            if (job.kind().equals("csv")) {
                csv.run(jobs, job, jobs.source(job.id()), () -> stopping);
            } else {
                ministra.run(jobs, job, () -> stopping);
            }
            jobs.finish(job, null);
        } catch (Stopping | ImportJobs.LeaseLost left) {
            LOG.info("Import job {} left for another run: {}", job.id(), left.getMessage());
        } catch (ImportFailed | MinistraFailure failure) {
            jobs.finish(job, failure.getMessage());
        } catch (RuntimeException e) {
            if (stopping) {
                LOG.info("Import job {} interrupted by this node stopping: {}", job.id(), e.toString());
            } else {
                LOG.error("Import job {} failed", job.id(), e);
                jobs.finish(job, "Unexpected failure: " + e.getClass().getSimpleName());
            }
        } finally {
            jobsHere.decrementAndGet();
        }
    }

    /** This node is stopping: a running job stops after its current chunk, and no job is taken over. */
    void stopping() {
        stopping = true;
    }

    @Override
    protected void doStop() {
        stopping();
    }
}
