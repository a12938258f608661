"""OGC API – Features (Part 1, Core) over the layer catalogue of `geo.layers`: every
registered layer is a collection, with no code of its own (docs/architecture.md,
"OGC API – Features"). An edge like geo/api: it holds no rules and reads the layers'
own querysets, filters and SQL-side GeoJSON."""
