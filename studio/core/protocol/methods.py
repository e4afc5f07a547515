"""Every method's params class, for the agent to decode a request with."""

from __future__ import annotations

from studio.core.protocol import Method
from studio.core.protocol.data_requests import (
    CompareParams,
    ResultInfoParams,
    StopRunParams,
    TableCloseParams,
    TableExportParams,
    TableFilterParams,
    TableRowsParams,
    TableSortParams,
    TableSummariesParams,
)
from studio.core.protocol.lazy_requests import (
    LazyCountParams,
    LazyFetchParams,
    LazyPollParams,
    LazyStopParams,
)
from studio.core.protocol.requests import (
    ClearResultsParams,
    ClusterParams,
    HelloParams,
    LoadParams,
    Params,
    RunParams,
    ScriptValuesParams,
)

PARAMS: dict[Method, type[Params]] = {
    params.method: params
    for params in (
        HelloParams,
        LoadParams,
        RunParams,
        ScriptValuesParams,
        ClearResultsParams,
        ClusterParams,
        ResultInfoParams,
        TableRowsParams,
        TableSortParams,
        TableFilterParams,
        TableSummariesParams,
        TableExportParams,
        TableCloseParams,
        CompareParams,
        StopRunParams,
        LazyFetchParams,
        LazyCountParams,
        LazyPollParams,
        LazyStopParams,
    )
}
"""The params class of each method."""
