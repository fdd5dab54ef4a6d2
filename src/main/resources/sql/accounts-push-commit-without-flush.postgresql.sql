SET LOCAL synchronous_commit TO OFF
