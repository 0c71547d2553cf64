from .accounts import CountyBureauFactory, EnterpriseFactory, OrganisationFactory, UserFactory, county

__all__ = ["CountyBureauFactory", "EnterpriseFactory", "OrganisationFactory", "UserFactory", "county"]
