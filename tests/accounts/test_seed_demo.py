"""seed_demo finds each installed app's demo module itself, in the order of the cycle."""

from accounts.management.commands.seed_demo import demo_modules


def test_demo_modules_are_found_in_the_order_of_the_cycle():
    assert [m.__name__ for m in demo_modules()] == [
        "accounts.demo", "applications.demo", "reviews.demo", "disbursements.demo", "aftercare.demo", "evaluation.demo"]
    assert all(callable(m.seed) for m in demo_modules())
