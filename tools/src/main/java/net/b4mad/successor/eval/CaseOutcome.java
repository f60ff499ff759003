package net.b4mad.successor.eval;

/** Whether one case passed in one eval run: what comparisons and the promotion gate pair up across runs. */
public record CaseOutcome(String id, String category, boolean passed) {}
