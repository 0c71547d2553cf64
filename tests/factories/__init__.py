from .accounts import CountyBureauFactory, EnterpriseFactory, OrganisationFactory, UserFactory, county
from .applications import (
    ApplicationFactory,
    AwardRuleFactory,
    CategoryFactory,
    MaterialFactory,
    ProfiledEnterpriseFactory,
    RoundFactory,
    application_in,
    category_with_rules,
)

__all__ = [
    "ApplicationFactory", "AwardRuleFactory", "CategoryFactory", "CountyBureauFactory", "EnterpriseFactory",
    "MaterialFactory", "OrganisationFactory", "ProfiledEnterpriseFactory", "RoundFactory", "UserFactory",
    "application_in", "category_with_rules", "county",
]
