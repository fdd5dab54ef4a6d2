package dev.ministramanager.http;

/** A failure that knows which problem the API answers for it (e.g. a Ministra failure seen by a caller). */
public interface ProblemSource {
    ProblemException toProblem();
}
