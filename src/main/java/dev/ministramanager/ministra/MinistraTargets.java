package dev.ministramanager.ministra;

/** Looks up how to reach a company's Ministra. */
public interface MinistraTargets {
    MinistraTarget of(long companyId);
}
