"""The recruiters' back office, one module per area; importing this package registers
them all. Writes go through interviews.services; extra pages share interviews.admin.pages."""

from interviews.admin import bank, candidates, compliance, interviews, records

__all__ = ["bank", "candidates", "compliance", "interviews", "records"]
