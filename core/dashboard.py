"""Per-role dashboard cards. Each app registers a provider: provider(user) -> list of Card."""

from dataclasses import dataclass


@dataclass
class Card:
    title: str
    value: object
    url: str = ""
    hint: str = ""


_PROVIDERS = []


def register(provider):
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def cards_for(user):
    cards = []
    for provider in _PROVIDERS:
        cards.extend(provider(user))
    return cards
