"""UN M49 geographic sub-regions: reader-facing names, and the sub-region of each ISO 3166-1 alpha-3 code.

Used by `tiptoolkit new-country` to fill `region`; the allowed ids are `model.Region`.
Africa and the Americas use M49's intermediate regions, which are more telling there.
"""

from __future__ import annotations

import typing

import pycountry

from .model import Region

REGION_NAMES: dict[str, str] = {
    "northern-africa": "Northern Africa",
    "eastern-africa": "Eastern Africa",
    "middle-africa": "Middle Africa",
    "southern-africa": "Southern Africa",
    "western-africa": "Western Africa",
    "caribbean": "Caribbean",
    "central-america": "Central America",
    "south-america": "South America",
    "northern-america": "Northern America",
    "central-asia": "Central Asia",
    "eastern-asia": "Eastern Asia",
    "south-eastern-asia": "South-eastern Asia",
    "south-asia": "South Asia",
    "western-asia": "Western Asia",
    "eastern-europe": "Eastern Europe",
    "northern-europe": "Northern Europe",
    "southern-europe": "Southern Europe",
    "western-europe": "Western Europe",
    "australia-and-new-zealand": "Australia and New Zealand",
    "melanesia": "Melanesia",
    "micronesia": "Micronesia",
    "polynesia": "Polynesia",
}

_MEMBERS: dict[str, str] = {
    "northern-africa": "DZA EGY LBY MAR SDN TUN ESH",
    "eastern-africa": "IOT BDI COM DJI ERI ETH ATF KEN MDG MWI MUS MYT MOZ REU RWA SYC SOM SSD UGA TZA ZMB ZWE",
    "middle-africa": "AGO CMR CAF TCD COG COD GNQ GAB STP",
    "southern-africa": "BWA SWZ LSO NAM ZAF",
    "western-africa": "BEN BFA CPV CIV GMB GHA GIN GNB LBR MLI MRT NER NGA SHN SEN SLE TGO",
    "caribbean": "AIA ATG ABW BHS BRB BES VGB CYM CUB CUW DMA DOM GRD GLP HTI JAM MTQ MSR PRI BLM KNA LCA MAF VCT SXM "
    "TTO TCA VIR",
    "central-america": "BLZ CRI SLV GTM HND MEX NIC PAN",
    "south-america": "ARG BOL BVT BRA CHL COL ECU FLK GUF GUY PRY PER SGS SUR URY VEN",
    "northern-america": "BMU CAN GRL SPM USA",
    "central-asia": "KAZ KGZ TJK TKM UZB",
    "eastern-asia": "CHN HKG MAC PRK JPN MNG KOR TWN",
    "south-eastern-asia": "BRN KHM IDN LAO MYS MMR PHL SGP THA TLS VNM",
    "south-asia": "AFG BGD BTN IND IRN MDV NPL PAK LKA",
    "western-asia": "ARM AZE BHR CYP GEO IRQ ISR JOR KWT LBN OMN QAT SAU PSE SYR TUR ARE YEM",
    "eastern-europe": "BLR BGR CZE HUN POL MDA ROU RUS SVK UKR",
    "northern-europe": "ALA DNK EST FRO FIN GGY ISL IRL IMN JEY LVA LTU NOR SJM SWE GBR",
    "southern-europe": "ALB AND BIH HRV GIB GRC VAT ITA MLT MNE MKD PRT SMR SRB SVN ESP",
    "western-europe": "AUT BEL FRA DEU LIE LUX MCO NLD CHE",
    "australia-and-new-zealand": "AUS CXR CCK HMD NZL NFK",
    "melanesia": "FJI NCL PNG SLB VUT",
    "micronesia": "GUM KIR MHL FSM NRU MNP PLW UMI",
    "polynesia": "ASM COK PYF NIU PCN WSM TKL TON TUV WLF",
}

REGION_OF: dict[str, str] = {code: region for region, codes in _MEMBERS.items() for code in codes.split()}
"""ISO3 code (capitals) -> region id. Antarctica (ATA) has no M49 sub-region."""

assert set(REGION_NAMES) == set(typing.get_args(Region)) == set(_MEMBERS), "regions.py and model.Region disagree"


def country_name(iso3: str) -> str:
    """The short English name of a country by its ISO3 code (`CHN` -> `China`), for countries outside the content."""
    record = pycountry.countries.get(alpha_3=iso3.upper())
    if record is None:
        return iso3.upper()
    return getattr(record, "common_name", None) or record.name


def region_of(iso3: str) -> str | None:
    return REGION_OF.get(iso3.upper())
