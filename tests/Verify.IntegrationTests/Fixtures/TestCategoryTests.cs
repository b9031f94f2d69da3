using System.Reflection;

namespace Verify.IntegrationTests.Fixtures;

/// <summary>
/// Every test class here carries one <see cref="TestCategories"/> trait, or the fast command would silently leave it
/// out. Marked Web so that it runs in that loop, where a new class is written.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Web)]
public sealed class TestCategoryTests
{
    [Fact]
    public void Every_test_class_has_exactly_one_known_category()
    {
        string[] known = [TestCategories.Model, TestCategories.Web, TestCategories.Distributed, TestCategories.Browser, TestCategories.Script];
        var classes = typeof(TestCategoryTests).Assembly.GetTypes()
            .Where(type => !type.IsAbstract && type.GetMethods().Any(method => method.GetCustomAttributes<FactAttribute>(inherit: true).Any()))
            .ToList();

        Assert.NotEmpty(classes);
        Assert.All(classes, type =>
        {
            var values = CustomAttributeData.GetCustomAttributes(type)
                .Where(data => data.AttributeType == typeof(TraitAttribute) && (string?)data.ConstructorArguments[0].Value == TestCategories.Name)
                .Select(data => (string?)data.ConstructorArguments[1].Value)
                .ToList();
            Assert.True(values.Count == 1 && known.Contains(values[0]), $"{type.Name} has categories [{string.Join(", ", values)}]; give it one of {string.Join(", ", known)}.");
        });
    }
}
