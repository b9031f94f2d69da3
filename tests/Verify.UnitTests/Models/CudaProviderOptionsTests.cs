using Verify.Inference.OnnxRuntime;

namespace Verify.UnitTests.Models;

/// <summary>The CUDA provider options a session asks for, by configuration.</summary>
public sealed class CudaProviderOptionsTests
{
    [Fact]
    public void The_default_configuration_passes_no_provider_option()
    {
        Assert.Empty(OnnxSessionFactory.CudaProviderOptions(new InferenceOptions()));
    }

    [Theory]
    [InlineData(CudnnConvAlgorithmSearch.Heuristic, "HEURISTIC")]
    [InlineData(CudnnConvAlgorithmSearch.Default, "DEFAULT")]
    public void The_convolution_search_is_passed_by_its_provider_name(CudnnConvAlgorithmSearch search, string value)
    {
        var options = OnnxSessionFactory.CudaProviderOptions(new InferenceOptions { CudaConvAlgorithmSearch = search });

        Assert.Equal(new Dictionary<string, string> { ["cudnn_conv_algo_search"] = value }, options);
    }

    [Fact]
    public void An_arena_that_grows_by_what_is_asked_is_passed_by_its_provider_name()
    {
        var options = OnnxSessionFactory.CudaProviderOptions(new InferenceOptions { CudaArenaExtendStrategy = CudaArenaExtendStrategy.SameAsRequested });

        Assert.Equal(new Dictionary<string, string> { ["arena_extend_strategy"] = "kSameAsRequested" }, options);
    }
}
