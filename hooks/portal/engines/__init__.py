"""Site-engine adapters over the engine-free core (portal.site.build, portal.site.plan)."""
