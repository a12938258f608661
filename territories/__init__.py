"""The domain, one Django app per domain (docs/architecture.md):

- `registry`: the district's places (district, TOS, buildings, yards, grounds, trees,
  councils, resource centres, container sites), the demo data and the OSM import;
- `reports`: residents' problem reports and every edge that shows them (REST API,
  pages, Open311, Atom feeds, the specialists' workspace).
"""
