"""`check_frame` inside Dask: a partitioned Parquet order book evaluated by `map_partitions`
on a local `dask.distributed` cluster of worker processes equals the single-process run."""

import pandas as pd
import pytest

import chipgate
from conftest import ROOT

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("dask.distributed")


def test_map_partitions_on_a_process_cluster_equals_one_process(tmp_path):
    book = pd.read_csv(ROOT / "examples" / "orders-2025.csv", dtype=str,
                       keep_default_na=False)
    # Four copies of the book with distinct ids, cut into 8 Parquet files.
    big = pd.concat(
        [book.assign(order_id=book["order_id"] + f"-{k}") for k in range(4)],
        ignore_index=True,
    )
    dd.from_pandas(big, npartitions=8).to_parquet(tmp_path / "book", write_index=True)

    expected = chipgate.check_frame(big, scenario="no-april-letter")
    meta = chipgate.check_frame(big.head(0), scenario="no-april-letter")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster):
        ddf = dd.read_parquet(tmp_path / "book")
        assert ddf.npartitions == 8
        got = ddf.map_partitions(chipgate.check_frame, scenario="no-april-letter",
                                 meta=meta).compute()
    got = got.sort_index()
    assert len(got) == len(big)
    pd.testing.assert_frame_equal(got, expected, check_names=False, check_index_type=False)
