"""The Hamilton examples that `bench_compatibility.py` measures, read by hand.

Each case is one driver script of Apache Hamilton's `examples/` folder (or a
folder with no driver script), with what its author meant: the modules the
script passes, in its order, the config it passes when run with no command
line arguments (or its documented default branch), the adapter and the
builder switches. Every value here was read from the script itself; the
`pattern` says how the script builds its driver, which is what a reader of
driver scripts has to understand.

Config values that are not literals (data passed as config, e.g. pandas
Series) are written as "<...>" strings: they only matter to the graph by
their key (every config key is a node) and by the value `@config.when`
compares with.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

DASK = "dask[dataframe,distributed]"
SPARK = "pyspark[pandas_on_spark]"
IBIS = "ibis-framework[duckdb]"


@dataclass(frozen=True)
class Case:
    example: str  # folder relative to examples/
    driver: str | None  # script relative to that folder, None when there is none
    pattern: str  # how the script builds its driver
    modules: tuple[str, ...]  # import names the script passes, in its order
    config: dict[str, Any] = field(default_factory=dict)
    adapter: str | None = None  # dotted class path of the adapter the script passes
    search_path: str = "."  # folder (relative to the example) the script runs from
    studio_dataflow: str | None = None  # None: the bench picks it
    packages: tuple[str, ...] = ()  # requirements beyond hamilton, pandas and numpy
    note: str = ""
    overrides: bool = False  # .allow_module_overrides()
    dynamic: bool = False  # .enable_dynamic_execution(allow_experimental_mode=True)
    label: str = ""  # tells apart two cases of one script

    @property
    def name(self) -> str:
        name = f"{self.example}:{self.driver or '-'}"
        return f"{name}#{self.label}" if self.label else name


@dataclass(frozen=True)
class Skipped:
    example: str
    driver: str | None
    reason: str


SIMPLE_DQ = {"location": "Absenteeism_at_work.csv"}
SKLEARN_SVM = {"test_size_fraction": 0.5, "shuffle_train_test_split": True}
SKLEARN_SVM |= {"clf": "svm", "gamma": 0.001}
DASK_HELLO = {"spend_location": "some file path", "spend_partitions": 2}
DASK_HELLO |= {"signups_location": "some file path", "signups_partitions": 2}
DASK_HELLO |= {"foobar": "some_other_data"}
SERIES = "<pd.Series>"

CASES: list[Case] = [
    Case("hello_world", "my_script.py",
         "Builder chain at module level, .with_adapters(result builder)",
         ("my_functions",), adapter="hamilton.base.PandasDataFrameResult"),
    Case("dask/hello_world", "run.py",
         "importlib.import_module over a literal list; Driver(config, *modules, adapter=)",
         ("business_logic", "data_loaders"), DASK_HELLO,
         "hamilton.plugins.h_dask.DaskGraphAdapter", packages=(DASK,),
         note="three driver scripts in the folder; the adapter gets a live dask Client"),
    Case("dask/hello_world", "run_with_delayed.py",
         "importlib over a one-module list; data passed as config",
         ("business_logic",), {"signups": SERIES, "spend": SERIES},
         "hamilton.plugins.h_dask.DaskGraphAdapter", packages=(DASK,),
         note="config values are pd.Series (data), so they become input nodes"),
    Case("ray/hello_world", "run.py",
         "importlib over a literal list; adapter=RayGraphAdapter",
         ("data_loaders", "business_logic"),
         {"signups_location": "some_path", "spend_location": "some_other_path"},
         "hamilton.plugins.h_ray.RayGraphAdapter", packages=("ray",),
         note="ray.init() runs before the driver; run_rayworkflow.py beside it"),
    Case("data_quality/simple", "run.py",
         "driver.Driver(config, *modules); @config.when_not_in",
         ("data_loaders", "feature_logic"), SIMPLE_DQ | {"execution": "normal"}),
    Case("data_quality/simple", "run_dask.py",
         "driver.Driver(config, ..., adapter=DaskGraphAdapter)",
         ("data_loaders", "feature_logic"), SIMPLE_DQ | {"execution": "normal"},
         "hamilton.plugins.h_dask.DaskGraphAdapter", packages=(DASK,),
         note="docstring offers execution=dask; the literal says normal"),
    Case("data_quality/simple", "run_spark.py",
         "Driver(config, ..., adapter=SparkKoalasGraphAdapter); same modules, other config",
         ("data_loaders", "feature_logic"), SIMPLE_DQ | {"execution": "spark"},
         "hamilton.plugins.h_spark.SparkKoalasGraphAdapter", packages=(SPARK,),
         note="four scripts share the modules; only the config tells them apart"),
    Case("data_quality/pandera", "run_dask.py",
         "Driver(config, ..., adapter=DaskGraphAdapter); @check_output(schema=pandera)",
         ("data_loaders", "feature_logic"), SIMPLE_DQ | {"execution": "dask"},
         "hamilton.plugins.h_dask.DaskGraphAdapter", packages=("pandera", DASK)),
    Case("model_examples/modular_example", "run.py",
         "Builder chain in a function, .with_config before .with_modules; @subdag",
         ("pipeline",),
         {"train_model_type": "RandomForest", "model_params": {"n_estimators": 100}}),
    Case("model_examples/scikit-learn", "run.py",
         "modules and config picked from sys.argv; dict.update() after the literal",
         ("iris_loader", "my_train_evaluate_logic"), SKLEARN_SVM,
         "hamilton.base.DefaultAdapter", packages=("scikit-learn",),
         note="needs `run.py iris svm`: with no arguments it exits"),
    Case("module_overrides", "run.py", "Builder chain with .allow_module_overrides()",
         ("module_a", "module_b"), overrides=True),
    Case("parallelism/file_processing", "run.py",
         "Builder in a click command; .enable_dynamic_execution; Parallelizable/Collect",
         ("aggregate_data", "list_data", "process_data"), dynamic=True,
         packages=("click", "ray", DASK), note="executor picked by the required --mode"),
    Case("parallelism/star_counting", "run.py",
         "Builder in a click command; dynamic execution",
         ("functions",), dynamic=True, packages=("click", "requests")),
    Case("polars", "my_script.py",
         "Driver(config, module, adapter=SimplePythonGraphAdapter(...)); import after config",
         ("my_functions",), {"base_df_location": "dummy_value"},
         "hamilton.base.SimplePythonGraphAdapter", packages=("polars",),
         note="subfolders lazyframe/, materialization/, with_columns/ hold other projects"),
    Case("polars/lazyframe", "my_script.py", "Driver({}, module, adapter=...)",
         ("my_functions",), {}, "hamilton.base.SimplePythonGraphAdapter",
         packages=("polars",)),
    Case("schema", "dataflow.py",
         "the script is its own module (`with_modules(__main__)`); SchemaValidator",
         ("dataflow",), {}, "hamilton.plugins.h_schema.SchemaValidator",
         packages=("pyarrow",)),
    Case("schema", "multi_dataflow.py",
         "__main__ as module; config from an argparse default (dict(version=...))",
         ("multi_dataflow",), {"version": "1"}, "hamilton.plugins.h_schema.SchemaValidator",
         packages=("pyarrow", "duckdb", IBIS)),
    Case("materialization", "run.py",
         "config.update(...) and config[key] = ... after the literal; .with_adapter()",
         ("data_loaders", "model_training"), SKLEARN_SVM | {"data_loader": "iris"},
         "hamilton.base.DefaultAdapter", packages=("scikit-learn",),
         note="needs `run.py iris svm`; importlib.import_module registers materializers"),
    Case("decoupling_io", "run.py",
         "modules picked from a dict by a required click option (--which-stage)",
         ("components.feature_data", "components.model_training",
          "components.model_evaluation"),
         packages=("click", "scikit-learn", "matplotlib"),
         note="stage metrics_captured (all modules); package modules"),
    Case("numpy/air-quality-analysis", "run_analysis.py",
         "driver.Driver({...inline literal...}, module, adapter=DefaultAdapter())",
         ("analysis_flow",),
         {"input_file_name": "air-quality-data.csv", "after_lock_date": "2020-03-24T00",
          "before_lock_date": "2020-03-21T00"},
         "hamilton.base.DefaultAdapter", packages=("scipy",)),
    Case("reusing_functions", "main.py",
         "Driver({}, module, adapter=...(custom result builder)) in main(); @subdag",
         ("reusable_subdags",), {}, "hamilton.base.SimplePythonGraphAdapter",
         note="the result builder is a class defined in main.py"),
    Case("caching_nodes/caching_graph_adapter", "run.py",
         "module-level Driver(initial_columns, *modules, adapter=CachingGraphAdapter)",
         ("business_logic", "data_loaders"), {},
         "hamilton.experimental.h_cache.CachingGraphAdapter", packages=("pyarrow",)),
    Case("experiment_management", "run.py",
         "config built with dict(...) call; Builder in main(); ExperimentTracker hook",
         ("analysis",), {"model": "boosting", "preprocess": "none"},
         "hamilton.plugins.h_experiments.ExperimentTracker",
         packages=("scikit-learn", "matplotlib", "pyarrow")),
    Case("pandas/split-apply-combine", "my_wrapper.py",
         "Builder at import of a helper module that rebinds `driver`; entry is my_script.py",
         ("my_functions",), {}, "hamilton.lifecycle.FunctionInputOutputTypeChecker",
         note="also passes base.PandasDataFrameResult()"),
    Case("scikit-learn/transformer", "run.py",
         "importlib over a literal list; a second Driver(self.config, *self.modules) in a class",
         ("my_functions_a", "my_functions_b"), packages=("scikit-learn",)),
    Case("feature_engineering/feature_engineering_multiple_contexts/scenario_1", "etl.py",
         "Driver(config, ...) in a function, config = {} variable",
         ("offline_loader", "features"), packages=("pandera",),
         note="fastapi_server.py beside it is a second driver script"),
    Case("feature_engineering/feature_engineering_multiple_contexts/scenario_1",
         "fastapi_server.py", "module-level async_driver.AsyncDriver({}, module, result_builder=)",
         ("features",), {}, "hamilton.base.SimplePythonDataFrameGraphAdapter",
         packages=("pandera", "fastapi", "pydantic")),
    Case("feature_engineering/write_once_run_everywhere_blog_post", "contexts/batch.py",
         "driver script in a subfolder, run as `python -m contexts.batch`; factory function",
         ("components.aggregations", "components.data_loaders", "components.joins",
          "components.features", "components.model"), {"mode": "batch"},
         packages=("click",), note="contexts/online.py and streaming.py are two more drivers"),
    Case("LLM_Workflows/scraping_and_chunking", "run.py",
         "Builder chain with dynamic execution and executors; Parallelizable",
         ("doc_pipeline",), dynamic=True,
         packages=("langchain<1", "langchain-core", "requests"),
         note="run_dask.py and run_ray.py build the same graph"),
    Case("validation/static_validator", "run.py",
         "two drivers in one script (good_module, then bad_module); custom adapter class",
         ("good_module",), {}, "run.MyTagValidator",
         note="the second driver is meant to fail validation"),
    Case("styling_visualization", "run.py", "module-level Builder chain, no __main__ guard",
         ("data_loading", "features", "sets", "model_pipeline"), packages=("scikit-learn",)),
    Case("narwhals", "example.py",
         "two Builders in one script (load=pandas, then polars); `import __main__ as example`",
         ("example",), {"load": "pandas"}, "hamilton.plugins.h_narwhals.NarwhalsAdapter",
         packages=("narwhals", "polars")),
    Case("people_data_labs", "run.py", "Builder chain in main()", ("analysis",),
         packages=("pyarrow",)),
    Case("data_loaders", "run.py",
         "three Driver() calls in click subcommands; `import hamilton.driver`",
         ("load_data_csv", "prep_data"), {"db_path": "test_data"},
         packages=("click", "duckdb"), label="csv", note="subcommand csv"),
    Case("data_loaders", "run.py", "three Driver() calls in click subcommands",
         ("load_data_mock", "prep_data"), {}, packages=("click", "duckdb"), label="mock",
         note="subcommand mock"),
    Case("async", "fastapi_example.py",
         "async_driver.Builder in an async lifespan; one builder, two drivers",
         ("async_module",), packages=("fastapi", "aiohttp", "apache-hamilton-sdk")),
    Case("ibis/feature_engineering", "run.py",
         "module imported in if/elif on an argparse default (--level table)",
         ("table_dataflow",), {}, "hamilton.plugins.h_tqdm.ProgressBar",
         packages=(IBIS, "tqdm"), note="requirements.txt says `tdqm` (a typo package)"),
    Case("ibis/jaffle_shop", "run.py", "Builder in main(); `from dataflows import ...` package",
         ("dataflows.staging", "dataflows.customer_flow", "dataflows.order_flow"),
         packages=(IBIS,)),
    Case("spark/pyspark", "run.py", "Builder chain in main(); @with_columns",
         ("dataflow", "map_transforms"), packages=(SPARK,)),
    Case("spark/pyspark_udfs", "run.py",
         "modules from a helper branching on sys.argv; Driver built in another helper",
         ("vanilla_udfs",), {}, "hamilton.plugins.h_spark.PySparkUDFGraphAdapter",
         packages=(SPARK,), note="default branch: vanilla UDFs"),
    Case("spark/tpc-h", "run.py",
         "exec() import; modules from a dict by a required click option; .with_adapter()",
         ("query_1", "csv_data_loaders"), {}, "hamilton.base.DefaultAdapter",
         packages=(SPARK, "click"), note="--which query_1"),
    Case("vaex", "my_script.py", "module-level Driver(config, module, adapter=...)",
         ("my_functions",), {"base_df_location": "dummy_value"},
         "hamilton.base.SimplePythonGraphAdapter", packages=("vaex",),
         note="vaex-core 4.19 needs dask<2024.9; beside current dask uv takes vaex-core "
         "4.17.1, which has no Python 3.12 wheel and does not build"),
    Case("snowflake/hamilton_ui", "pipeline_endpoint.py",
         "Builder inside a function a Flask handler calls; module-level Flask app",
         ("my_functions",), packages=("flask", "apache-hamilton-sdk"),
         note="its HamiltonTracker adapter (needs a Hamilton UI server) is left out"),
    Case("pandas/with_columns", None, "no driver script (notebook); @with_columns",
         ("my_functions",)),
    Case("due_date_probabilities", None, "no driver script (notebook); @config, @extract_fields",
         ("base_dates", "probabilities", "probability_estimation"), packages=("scipy",)),
    Case("mutate/abstract_functionality_blueprint", None,
         "no driver script; the notebook builds each module alone (%%cell_to_module); @mutate",
         ("mutate",),
         note="the six modules redefine the same nodes: Hamilton refuses them together"),
]  # fmt: skip

SKIPPED: list[Skipped] = [
    Skipped("ray/hello_world", "run_rayworkflow.py",
            "ray.workflow was removed after Ray 2.47; the other Ray cases need current Ray"),
    Skipped("LLM_Workflows/image_telephone", "application.py",
            "downloads its dataflows from the Hamilton hub at import (network)"),
    Skipped("LLM_Workflows/langchain_comparison", None,
            "vanilla_*.py and lcel_*.py create OpenAI clients at import: API key needed"),
    Skipped("LLM_Workflows/pdf_summarizer/backend", "server.py",
            "the dataflow module summarization.py creates an OpenAI() client at import"),
]  # fmt: skip
