#!/usr/bin/env python3
"""The DuckDB-WASM queries of scripts/bench-inputs (not a test): a profile's peer on one
file, in the JSON form tests/browser/bench/run.mjs --duckdb-sql reads (like
duckdb_peer.py --sql-only): SUMMARIZE of every column (min, max, approx_unique, avg, std,
quartiles, count, null_percentage) and the row count, reading the CSV with read_csv (the
sniffer's types), no table loaded. (Not the Parquet files: DuckDB-WASM 1.32.0's npm
package has no parquet extension and fetches it from extensions.duckdb.org, which the
self-hosted bench page cannot reach; see docs/DESIGN.md.)

    duckdb_summarize.py NAME     # NAME: the file's name as the bench page registers it
"""

import json
import sys


def main():
    name = sys.argv[1]
    quoted = "'" + name.replace("'", "''") + "'"
    read = f"read_csv({quoted})"
    print(json.dumps({
        "name": name,
        "summarize": f"SUMMARIZE SELECT * FROM {read}",
        # No groups: the page's confusion step reduces to the row count.
        "confusion": f"SELECT 0 AS rolled_up, count(*) AS n, 0 AS tp, 0 AS fp, 0 AS tn, 0 AS fn FROM {read}",
        "roles": {"protected": []},
    }))


if __name__ == "__main__":
    main()
