import factory

from accounts.models import County, Organisation, User
from accounts.roles import OrganisationKind, Role
from accounts.validators import make_credit_code

PASSWORD = "Test-Passw0rd!"


def county(name="中原区"):
    return County.objects.get(name=name)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = OrganisationKind.CITY_BUREAU
    name = factory.Sequence(lambda n: f"机构{n}")


class EnterpriseFactory(OrganisationFactory):
    kind = OrganisationKind.ENTERPRISE
    name = factory.Sequence(lambda n: f"郑州测试制造{n}有限公司")
    county = factory.LazyFunction(county)
    credit_code = factory.Sequence(lambda n: make_credit_code(f"91410102MA{n:07d}"))


class CountyBureauFactory(OrganisationFactory):
    kind = OrganisationKind.COUNTY_BUREAU
    county = factory.LazyFunction(county)
    name = factory.LazyAttribute(lambda o: f"{o.county.name}工业和信息化局")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.cn")
    role = Role.ENTERPRISE
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()

    @classmethod
    def for_role(cls, role, **kwargs):
        if role == Role.ENTERPRISE and "organisation" not in kwargs:
            kwargs["organisation"] = EnterpriseFactory()
        if role == Role.COUNTY and "county" not in kwargs:
            kwargs["county"] = county()
        return cls(role=role, **kwargs)
