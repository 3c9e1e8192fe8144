namespace DataVault.Vault;

/// <summary>
/// The service's configuration makes it unsafe or impossible to start. Its message is one paragraph
/// an operator can act on (what is wrong, which setting fixes it); the host prints it instead of a
/// stack trace and exits with a non-zero code.
/// </summary>
public sealed class ServiceConfigurationException(string message) : Exception(message);
