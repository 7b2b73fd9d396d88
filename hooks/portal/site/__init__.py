"""What one build publishes, engine-free: the plan, its state, listings, pages, feeds, post-processing."""
