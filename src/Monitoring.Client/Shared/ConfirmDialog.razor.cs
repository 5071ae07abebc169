using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Monitoring.Client.Shared;

/// <summary>"Are you sure?" before something that cannot be undone. Text parameters are rendered as text.</summary>
public partial class ConfirmDialog
{
    [CascadingParameter] public required IMudDialogInstance Dialog { get; set; }

    [Parameter, EditorRequired] public required string Title { get; set; }
    [Parameter, EditorRequired] public required string Message { get; set; }
    [Parameter] public string ConfirmText { get; set; } = "Confirm";

    private void Confirm() => Dialog.Close(DialogResult.Ok(true));

    private void Cancel() => Dialog.Cancel();
}

public static class ConfirmDialogExtensions
{
    /// <summary>Shows a <see cref="ConfirmDialog"/> and returns true only when the person confirmed.</summary>
    public static async Task<bool> ConfirmAsync(this IDialogService dialogs, string title, string message, string confirmText)
    {
        var parameters = new DialogParameters<ConfirmDialog>
        {
            { d => d.Title, title },
            { d => d.Message, message },
            { d => d.ConfirmText, confirmText },
        };
        var reference = await dialogs.ShowAsync<ConfirmDialog>(title, parameters, new DialogOptions { MaxWidth = MaxWidth.ExtraSmall, FullWidth = true });
        var result = await reference.Result;
        return result is { Canceled: false };
    }
}
